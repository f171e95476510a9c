"""What partners owe, an initiative's measures dashboard, its glossary and its CSV export."""

from urllib.parse import urlencode

from django.contrib import messages
from django.db.models import Count
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from backbone.access import org_view
from backbone.links import org_url, row_url
from backbone.models import Role
from backbone.permissions import can
from backbone.spreadsheets import csv_stream_response
from initiatives.selectors import initiatives_visible_to
from stakeholders.selectors import partner_of

from .. import selectors, services
from ..chart_cache import cached_fragment
from ..definitions import version_number, versions_by_indicator
from ..forms import GlossaryTermForm, IndicatorSearchForm
from ..models import DataPoint
from ..panel_cache import cached_page
from . import access_measured_initiative


@org_view("measures.view")
def index(request):
    """What is owed and the initiatives; for every member but a partner user, kept as HTML
    while the organization's measures are unchanged (`measures.panel_cache`)."""

    def make(extra: dict) -> str:
        context = {**_index_context(request), **extra}
        return render_to_string("measures/index.html#body", context, request)

    body = cached_page(request, "index", (), make)
    return render(request, "measures/index.html", {"body": body})


def _index_context(request) -> dict:
    membership = request.membership
    today = timezone.localdate()
    partner = partner_of(membership)
    initiatives = (
        initiatives_visible_to(membership)
        .only("name")
        .annotate(indicator_count=Count("indicators", distinct=True))
    )
    owed = []
    if membership.role == Role.PARTNER:
        if partner is not None:
            owed = selectors.owed_by(
                [partner], organization_id=request.organization.pk, today=today
            )
    elif can(membership, "measures.approve"):
        owed = selectors.owed_by(None, organization_id=request.organization.pk, today=today)
    waiting = (
        selectors.approval_queue(request.organization.pk).count()
        if can(membership, "measures.approve")
        else 0
    )
    return {
        "initiatives": initiatives,
        "owed": owed[:50],
        "owed_count": len(owed),
        "partner": partner,
        "waiting": waiting,
        "today": today,
        "dashboard_url": row_url(request.organization, "measures:dashboard", "initiative_id"),
        "entry_url": row_url(request.organization, "measures:entry", "initiative_id"),
    }


@org_view("measures.view")
def initiative_dashboard(request, initiative_id):
    initiative = access_measured_initiative(request, initiative_id)
    filters = IndicatorSearchForm(request.GET or None)
    search = filters.cleaned_data["q"] if filters.is_valid() else ""
    today = timezone.localdate()
    page_number = (request.GET.get("page") or "")[:12]
    query = urlencode({"q": search}) if search else ""  # the one filter the pages keep

    def draw() -> dict:
        context = selectors.dashboard_context(
            initiative, today=today, search=search, page_number=page_number
        )
        page = context["page"]
        charts = {
            "cards": selectors.dashboard_cards([i.pk for i in page.object_list]),
            "page": page,
            "filters": filters,
            "query": query,
            "indicator_url": row_url(
                request.organization, "measures:indicator_detail", "indicator_id"
            ),
        }
        return {
            "charts": render_to_string("measures/dashboard.html#charts", charts),
            "glossary": render_to_string("measures/dashboard.html#glossary-list", context),
            "entry_periods": context["entry_periods"],
            "has_indicators": bool(context["indicators"]),
        }

    # What the dashboard shows is the same for every member who may see the initiative
    # (their permissions only add forms): kept as HTML until a measure of the organization
    # changes (measures.chart_cache); the day is in the key (the periods to enter).
    kept = cached_fragment(
        request.organization,
        "dashboard",
        (initiative.pk, search, bool(request.GET.get("q")), page_number, today),
        draw,
    )
    # Our own templates' output, escaped as it rendered.
    charts = mark_safe(kept["charts"])  # noqa: S308
    if request.htmx:
        return HttpResponse(charts)
    context = {
        "initiative": initiative,
        "filters": filters,
        "charts": charts,
        "glossary": mark_safe(kept["glossary"]),  # noqa: S308
        "entry_periods": kept["entry_periods"],
        "has_indicators": kept["has_indicators"],
        "glossary_form": GlossaryTermForm(),
    }
    return render(request, "measures/dashboard.html", context)


@require_POST
@org_view("measures.define")
def glossary_term_add(request, initiative_id):
    initiative = access_measured_initiative(request, initiative_id, write=True)
    form = GlossaryTermForm(request.POST)
    if form.is_valid():
        services.glossary_term_save(initiative=initiative, **form.cleaned_data)
        messages.success(request, _("“%(term)s” is in the glossary.") % form.cleaned_data)
    else:
        messages.error(request, _("Give the term and its meaning."))
    url = org_url(request.organization, "measures:dashboard", initiative_id=initiative.pk)
    return redirect(url + "#glossary")


@org_view("measures.view")
def export_csv(request, initiative_id):
    initiative = access_measured_initiative(request, initiative_id)
    # A partner user exports only its own partner's rows: others' submissions stay theirs.
    points = (
        selectors.data_points_visible_to(request.membership)
        .filter(indicator__initiative=initiative, status=DataPoint.Status.APPROVED)
        .order_by("indicator__name", "period", "partner__name", "cell")
        .values_list("indicator_id", "period", "partner__name", "cell", "value")
    )
    # The initiative's few indicators read once, not a row object per value; each value
    # with the version of the indicator's definition its period is read under.
    indicators = {i.pk: i for i in initiative.indicators.all()}
    versions = versions_by_indicator(indicators)
    numbers: dict[tuple[int, str], int] = {}

    def number(indicator, period: str) -> int:
        key = (indicator.pk, period)
        if key not in numbers:
            numbers[key] = version_number(indicator, period, versions.get(indicator.pk))
        return numbers[key]

    rows = (
        [indicator.name, period, partner, cell, value, indicator.unit, number(indicator, period)]
        for indicator_id, period, partner, cell, value in points.iterator(chunk_size=2000)
        for indicator in (indicators[indicator_id],)
    )
    header = [
        "indicator",
        "period",
        "partner",
        "disaggregation",
        "value",
        "unit",
        "definition_version",
    ]
    return csv_stream_response(header, rows, f"measures-{initiative.pk}.csv")
