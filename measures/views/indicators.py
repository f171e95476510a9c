"""Defining indicators and their page: targets, chart, data requests, stories, conflicts."""

from collections.abc import Callable

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from backbone.access import access, org_view
from backbone.forms import form_page
from backbone.ids import ids_parse, whole_number
from backbone.links import org_url, row_url
from backbone.permissions import can
from initiatives.selectors import initiatives_visible_to
from stakeholders.models import Partner

from .. import selectors, services
from ..chart_cache import cached_fragment
from ..charts import trend_svg
from ..definitions import data_point_definitions, definition_of, indicator_update
from ..forms import CurveStoryForm, IndicatorForm, ResolveForm
from ..list_rows import reported_rows
from ..models import CurveStory
from ..panel_cache import cached_page, kept_form_page
from ..sharing import uncovered_requests
from . import access_indicator, access_measured_initiative

FORM_TEMPLATE = "measures/indicator_form.html"


def _indicator_url(request, indicator) -> str:
    return org_url(request.organization, "measures:indicator_detail", indicator_id=indicator.pk)


def _decide(request, decision: Callable[..., object], indicator, form, success: str) -> None:
    """Record a staff decision on `indicator` from a valid `form`; say `success`, or the
    service's reasons for refusing."""
    try:
        decision(indicator=indicator, user=request.user, **form.cleaned_data)
        messages.success(request, success)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))


@org_view("measures.define")
def indicator_create(request, initiative_id):
    initiative = access_measured_initiative(request, initiative_id, write=request.method == "POST")
    if request.method != "POST":  # the empty form, kept as HTML (measures.panel_cache)
        return kept_form_page(
            request,
            FORM_TEMPLATE,
            "indicator-form",
            (initiative.pk,),
            lambda: IndicatorForm(organization=request.organization),
            {"initiative": initiative},
        )
    form = IndicatorForm(request.POST, organization=request.organization)
    return form_page(
        request,
        form,
        FORM_TEMPLATE,
        {"initiative": initiative},
        save=lambda: services.indicator_create(
            initiative=initiative,
            indicator=form.save(commit=False),
            target_value=form.cleaned_data.get("target_value"),
            target_date=form.cleaned_data.get("target_date"),
        ),
        done=lambda indicator: (
            _("Indicator “%(name)s” added.") % {"name": indicator.name},
            _indicator_url(request, indicator),
        ),
    )


@org_view("measures.define")
def indicator_edit(request, indicator_id):
    indicator = access_indicator(request, indicator_id, write=request.method == "POST")
    context = {"initiative": indicator.initiative, "indicator": indicator}
    if request.method != "POST":  # the form of the saved row, kept as HTML (as above)
        return kept_form_page(
            request,
            FORM_TEMPLATE,
            "indicator-edit",
            (indicator.pk,),
            lambda: IndicatorForm(
                instance=indicator, organization=request.organization, editing=True
            ),
            context,
        )
    form = IndicatorForm(
        request.POST, instance=indicator, organization=request.organization, editing=True
    )
    return form_page(
        request,
        form,
        FORM_TEMPLATE,
        context,
        save=lambda: indicator_update(
            indicator=form.save(commit=False),
            names=form.seen_names(),
            seen=form.cleaned_data.get("seen"),
            by=request.user,
            applies_from=form.cleaned_data.get("applies_from"),
            correction=form.cleaned_data.get("correction", False),
        ),
        done=lambda _saved: (
            _("Indicator “%(name)s” saved.") % {"name": indicator.name},
            _indicator_url(request, indicator),
        ),
    )


CONFLICTS_SHOWN = 3
POINTS_PAGE_SIZE = 50


def _options(rows) -> str:
    """`<option>`s of (id, name) rows, the names escaped (ids are numbers)."""
    html = "".join(f'<option value="{int(pk)}">{escape(name)}</option>' for pk, name in rows)
    return mark_safe(html)  # noqa: S308 -- every name escaped above


@org_view("measures.view")
def indicator_detail(request, indicator_id):
    """An indicator: its chart, values and stories; for staff, the periods where partners'
    values differ (`CONFLICTS_SHOWN` of them), who reports it, and the library. Kept as HTML
    while the organization's measures are unchanged (`measures.panel_cache`)."""
    indicator = access_indicator(request, indicator_id)
    page_number = (request.GET.get("page") or "")[:12]
    partial = "reported" if request.htmx else "body"

    def make(extra: dict) -> str:
        context = {**_detail_context(request, indicator, page_number), **extra}
        return render_to_string(f"measures/indicator_detail.html#{partial}", context, request)

    html = cached_page(request, f"indicator-{partial}", (indicator.pk, page_number), make)
    if request.htmx:
        return HttpResponse(html)
    return render(request, "measures/indicator_detail.html", {"indicator": indicator, "body": html})


def _detail_context(request, indicator, page_number: str) -> dict:
    targets = list(indicator.targets.all())
    for target in targets:
        target.shown = indicator.format_value(target.value)
    series = selectors.approved_series(indicator)
    is_staff = can(request.membership, "measures.approve")
    # The reported values a page at a time, newest first.
    points_page = Paginator(
        selectors.data_points_visible_to(request.membership)
        .filter(indicator=indicator)
        .select_related("partner")
        .only("period", "cell", "value", "status", "indicator_id", "partner__name")
        .order_by("-period", "partner__name", "cell", "pk"),
        POINTS_PAGE_SIZE,
    ).get_page(page_number)
    points = list(points_page.object_list)
    definitions = data_point_definitions(indicator, points)
    context = {
        "indicator": indicator,
        "targets": targets,
        "baseline_shown": indicator.format_value(indicator.baseline_value),
        # Each period with the version of the definition it is read under.
        "series": [
            (p, v, indicator.format_value(v), definition_of(definitions, p.start).number)
            for p, v in reversed(series)
        ],
        "status": selectors.indicator_status(indicator, series, targets),
        "svg": trend_svg(indicator, series, targets=targets, width=640, height=280),
        "stories": CurveStory.objects.filter(indicator=indicator).select_related("author"),
        "points": points,
        "points_page": points_page,
        "definitions": definitions,
        "is_staff": is_staff,
        "reported_rows": reported_rows(
            row_url(request.organization, "measures:data_point", "data_point_id"),
            points,
            versioned=len(definitions) > 1,
        ),
    }
    if is_staff:
        resolutions = {r.period: r for r in indicator.resolutions.select_related("decided_by")}
        # The periods still to settle first, newest first; a few of them (their values
        # read), the others counted.
        periods = sorted(
            selectors.conflict_periods(indicator),
            key=lambda period: (period not in resolutions, period),
            reverse=True,
        )
        shown = periods[:CONFLICTS_SHOWN]
        found = selectors.conflicts_of(indicator, periods=shown) if shown else {}
        partners = Partner.objects.filter(organization=request.organization).values_list(
            "pk", "name"
        )
        others = initiatives_visible_to(request.membership).exclude(pk=indicator.initiative_id)
        context.update(
            conflicts={period: found[period] for period in shown if period in found},
            conflicts_more=max(0, len(periods) - CONFLICTS_SHOWN),
            resolutions=resolutions,
            requests=indicator.requests.select_related("partner").order_by("partner__name"),
            # Each list of options is written once (two selects share the partners').
            partner_options=_options(partners),
            story_form=CurveStoryForm(initial={"period": series[-1][0].key if series else ""}),
            initiative_options=_options(others.values_list("pk", "name")),
            uncovered=uncovered_requests([indicator]),
            agreements=indicator.agreements.order_by("-signed_on", "title"),
        )
    return context


@org_view("measures.view")
def indicator_chart(request, indicator_id):
    indicator = access_indicator(request, indicator_id)
    # Only approved values: the same for everyone who may see the indicator, kept while the
    # organization's measures are unchanged (measures.chart_cache).
    svg = cached_fragment(
        request.organization,
        "chart-svg",
        (indicator.pk,),
        lambda: trend_svg(
            indicator, selectors.approved_series(indicator), targets=list(indicator.targets.all())
        ),
    )
    return HttpResponse(svg, content_type="image/svg+xml")


@require_POST
@org_view("measures.define")
def indicator_requests(request, indicator_id):
    indicator = access_indicator(request, indicator_id, write=True)
    if request.POST.get("period"):
        # A per-partner exception: this partner skips (or only reports) one period.
        partner = access(request, Partner, pk=request.POST.get("partner") or 0)
        try:
            services.data_request_except(
                indicator=indicator,
                partner=partner,
                period=request.POST["period"],
                excluded=request.POST.get("excluded") == "1",
            )
            messages.success(request, _("The exception is recorded."))
        except ValueError:
            messages.error(request, _("That is not a reporting period of this indicator."))
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        return redirect(_indicator_url(request, indicator))
    ids = ids_parse(request.POST.getlist("partners"))
    partners = Partner.objects.filter(organization=request.organization, pk__in=ids)
    due_days = whole_number(request.POST.get("due_days") or 30)
    due_days = 30 if due_days is None else min(365, due_days)
    try:
        created = services.data_requests_assign(
            indicator=indicator, partners=partners, due_days=due_days
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(_indicator_url(request, indicator))
    messages.success(
        request, _("%(count)s partner(s) asked to report every period.") % {"count": created}
    )
    return redirect(_indicator_url(request, indicator))


@require_POST
@org_view("measures.define")
def indicator_copy(request, indicator_id):
    # Copying reads the indicator and writes into the other initiative.
    indicator = access_indicator(request, indicator_id)
    target = access_measured_initiative(request, request.POST.get("initiative") or 0, write=True)
    copy = services.indicator_copy(indicator=indicator, initiative=target)
    messages.success(request, _("Copied into %(initiative)s.") % {"initiative": target.name})
    return redirect(_indicator_url(request, copy))


@require_POST
@org_view("measures.approve")
def indicator_story(request, indicator_id):
    indicator = access_indicator(request, indicator_id, write=True)
    form = CurveStoryForm(request.POST)
    if form.is_valid():
        saved = _("The story behind the curve is saved.")
        _decide(request, services.curve_story_save, indicator, form, saved)
    else:
        messages.error(request, _("Give a period and the story."))
    return redirect(_indicator_url(request, indicator))


@require_POST
@org_view("measures.approve")
def indicator_resolve(request, indicator_id):
    indicator = access_indicator(request, indicator_id, write=True)
    form = ResolveForm(request.POST, indicator=indicator)
    if form.is_valid():
        _decide(request, services.conflict_resolve, indicator, form, _("The choice is recorded."))
    return redirect(_indicator_url(request, indicator))
