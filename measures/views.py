import datetime

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count, Prefetch
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from backbone.access import access, org_view
from backbone.forms import INVALID_FORM, form_status
from backbone.models import Role
from backbone.permissions import can
from backbone.spreadsheets import csv_response, csv_text
from initiatives.selectors import initiatives_visible_to
from stakeholders.models import Partner
from stakeholders.selectors import partner_of

from . import selectors, services
from .charts import trend_svg
from .forms import (
    CurveStoryForm,
    GlossaryTermForm,
    IndicatorForm,
    ResolveForm,
    ValuesImportForm,
)
from .imports import parse_values_csv, values_import
from .models import CurveStory, DataPoint, GlossaryTerm, Indicator, Target
from .periods import frequency_of, periods_between
from .validation import check_value


def _today(request) -> datetime.date:
    return timezone.localdate()


def _initiative(request, initiative_id):
    return get_object_or_404(initiatives_visible_to(request.membership), pk=initiative_id)


def _indicator(request, indicator_id) -> Indicator:
    return get_object_or_404(
        selectors.indicators_visible_to(request.membership).select_related(
            "initiative", "champion"
        ),
        pk=indicator_id,
    )


def _url(name, request, **kwargs):
    return reverse(f"measures:{name}", kwargs={"org_slug": request.organization.slug, **kwargs})


@org_view("measures.view")
def index(request):
    membership = request.membership
    partner = partner_of(membership)
    initiatives = initiatives_visible_to(membership).annotate(
        indicator_count=Count("indicators", distinct=True)
    )
    owed = []
    if membership.role == Role.PARTNER:
        if partner is not None:
            owed = selectors.owed_by(
                [partner], organization_id=request.organization.pk, today=_today(request)
            )
    elif can(membership, "measures.approve"):
        owed = selectors.owed_by(
            None, organization_id=request.organization.pk, today=_today(request)
        )
    waiting = (
        selectors.approval_queue(request.organization.pk).count()
        if can(membership, "measures.approve")
        else 0
    )
    return render(
        request,
        "measures/index.html",
        {
            "initiatives": initiatives,
            "owed": owed[:50],
            "owed_count": len(owed),
            "partner": partner,
            "waiting": waiting,
            "today": _today(request),
        },
    )


def dashboard_context(initiative) -> dict:
    """Everything the measures dashboard shows, in a fixed number of queries."""
    indicators = list(
        Indicator.objects.filter(initiative=initiative, is_active=True)
        .select_related("champion")
        .prefetch_related(Prefetch("targets", queryset=Target.objects.order_by("date")))
    )
    series = selectors.approved_series_for(indicators)
    stories = selectors.latest_curve_stories(indicators)
    cards = []
    for indicator in indicators:
        points = series[indicator.pk]
        targets = list(indicator.targets.all())
        cards.append(
            {
                "indicator": indicator,
                "series": points,
                "latest": points[-1] if points else None,
                "status": selectors.indicator_status(indicator, points, targets),
                "story": stories.get(indicator.pk),
                "svg": trend_svg(indicator, points, targets=targets, width=320, height=180),
            }
        )
    terms = list(GlossaryTerm.objects.filter(initiative=initiative))
    return {"initiative": initiative, "cards": cards, "terms": terms}


@org_view("measures.view")
def initiative_dashboard(request, initiative_id):
    initiative = _initiative(request, initiative_id)
    context = dashboard_context(initiative)
    periods = sorted(
        {
            p.key
            for card in context["cards"]
            for p in periods_between(
                initiative.start_date, _today(request), card["indicator"].frequency
            )[-5:]
            if p.end < _today(request)  # periods that have ended are the ones reported
        },
        reverse=True,
    )
    context["entry_periods"] = periods
    context["glossary_form"] = GlossaryTermForm()
    return render(request, "measures/dashboard.html", context)


@require_POST
@org_view("measures.define")
def glossary_term_add(request, initiative_id):
    initiative = _initiative(request, initiative_id)
    form = GlossaryTermForm(request.POST)
    if form.is_valid():
        services.glossary_term_save(initiative=initiative, **form.cleaned_data)
        messages.success(request, _("“%(term)s” is in the glossary.") % form.cleaned_data)
    else:
        messages.error(request, _("Give the term and its meaning."))
    return redirect(_url("dashboard", request, initiative_id=initiative.pk) + "#glossary")


@org_view("measures.define")
def indicator_create(request, initiative_id):
    initiative = access(request, initiatives_visible_to(request.membership), pk=initiative_id)
    form = IndicatorForm(request.POST or None, organization=request.organization)
    if request.method == "POST" and form.is_valid():
        indicator = form.save(commit=False)
        indicator.organization = request.organization
        indicator.initiative = initiative
        indicator.save()
        if form.cleaned_data.get("target_value") is not None:
            Target.objects.create(
                organization=request.organization,
                indicator=indicator,
                value=form.cleaned_data["target_value"],
                date=form.cleaned_data["target_date"],
            )
        messages.success(request, _("Indicator “%(name)s” added.") % {"name": indicator.name})
        return redirect(_url("indicator_detail", request, indicator_id=indicator.pk))
    return render(request, "measures/indicator_form.html", {"form": form, "initiative": initiative})


@org_view("measures.define")
def indicator_edit(request, indicator_id):
    indicator = _indicator(request, indicator_id)
    form = IndicatorForm(
        request.POST or None, instance=indicator, organization=request.organization, editing=True
    )
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Indicator “%(name)s” saved.") % {"name": indicator.name})
        return redirect(_url("indicator_detail", request, indicator_id=indicator.pk))
    return render(
        request,
        "measures/indicator_form.html",
        {"form": form, "initiative": indicator.initiative, "indicator": indicator},
    )


@org_view("measures.view")
def indicator_detail(request, indicator_id):
    indicator = _indicator(request, indicator_id)
    targets = list(indicator.targets.all())
    for target in targets:
        target.shown = indicator.format_value(target.value)
    series = selectors.approved_series(indicator)
    is_staff = can(request.membership, "measures.approve")
    points = selectors.data_points_visible_to(request.membership).filter(indicator=indicator)
    context = {
        "indicator": indicator,
        "targets": targets,
        "baseline_shown": indicator.format_value(indicator.baseline_value),
        "series": [(p, v, indicator.format_value(v)) for p, v in reversed(series)],
        "status": selectors.indicator_status(indicator, series, targets),
        "svg": trend_svg(indicator, series, targets=targets, width=640, height=280),
        "stories": CurveStory.objects.filter(indicator=indicator).select_related("author"),
        "points": points.select_related("partner").order_by("-period", "partner__name", "cell")[
            :200
        ],
        "is_staff": is_staff,
    }
    if is_staff:
        context.update(
            conflicts=selectors.conflicts_of(indicator),
            resolutions={r.period: r for r in indicator.resolutions.select_related("decided_by")},
            requests=indicator.requests.select_related("partner").order_by("partner__name"),
            partners=Partner.objects.filter(organization=request.organization),
            story_form=CurveStoryForm(initial={"period": series[-1][0].key if series else ""}),
            initiatives=initiatives_visible_to(request.membership).exclude(
                pk=indicator.initiative_id
            ),
        )
    return render(request, "measures/indicator_detail.html", context)


@org_view("measures.view")
def indicator_chart(request, indicator_id):
    indicator = _indicator(request, indicator_id)
    svg = trend_svg(
        indicator, selectors.approved_series(indicator), targets=list(indicator.targets.all())
    )
    return HttpResponse(svg, content_type="image/svg+xml")


@require_POST
@org_view("measures.define")
def indicator_requests(request, indicator_id):
    indicator = _indicator(request, indicator_id)
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
        return redirect(_url("indicator_detail", request, indicator_id=indicator.pk))
    ids = request.POST.getlist("partners")
    partners = Partner.objects.filter(organization=request.organization, pk__in=ids)
    try:
        due_days = max(0, min(365, int(request.POST.get("due_days") or 30)))
    except ValueError:
        due_days = 30
    created = services.data_requests_assign(
        indicator=indicator, partners=partners, due_days=due_days
    )
    messages.success(
        request, _("%(count)s partner(s) asked to report every period.") % {"count": created}
    )
    return redirect(_url("indicator_detail", request, indicator_id=indicator.pk))


@require_POST
@org_view("measures.define")
def indicator_copy(request, indicator_id):
    indicator = _indicator(request, indicator_id)
    target = get_object_or_404(
        initiatives_visible_to(request.membership), pk=request.POST.get("initiative") or 0
    )
    copy = services.indicator_copy(indicator=indicator, initiative=target)
    messages.success(request, _("Copied into %(initiative)s.") % {"initiative": target.name})
    return redirect(_url("indicator_detail", request, indicator_id=copy.pk))


@require_POST
@org_view("measures.approve")
def indicator_story(request, indicator_id):
    indicator = _indicator(request, indicator_id)
    form = CurveStoryForm(request.POST)
    if form.is_valid():
        try:
            services.curve_story_save(
                indicator=indicator,
                period=form.cleaned_data["period"],
                text=form.cleaned_data["text"],
                user=request.user,
            )
            messages.success(request, _("The story behind the curve is saved."))
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
    else:
        messages.error(request, _("Give a period and the story."))
    return redirect(_url("indicator_detail", request, indicator_id=indicator.pk))


@require_POST
@org_view("measures.approve")
def indicator_resolve(request, indicator_id):
    indicator = _indicator(request, indicator_id)
    form = ResolveForm(request.POST)
    if form.is_valid():
        chosen = None
        if form.cleaned_data.get("chosen"):
            chosen = DataPoint.objects.filter(
                indicator=indicator, pk=form.cleaned_data["chosen"]
            ).first()
        try:
            services.conflict_resolve(
                indicator=indicator,
                period=form.cleaned_data["period"],
                method=form.cleaned_data["method"],
                chosen=chosen,
                user=request.user,
            )
            messages.success(request, _("The choice is recorded."))
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
    return redirect(_url("indicator_detail", request, indicator_id=indicator.pk))


def _entry_partner(request):
    """The partner whose values the form edits: a partner user's own; staff choose one."""
    if request.membership.role == Role.PARTNER:
        partner = partner_of(request.membership)
        if partner is None:
            raise Http404
        return partner, False
    partner_id = request.GET.get("partner") or request.POST.get("partner")
    if not partner_id:
        return None, True
    return access(request, Partner, pk=partner_id), True


def _field(indicator_id: int, index: int) -> str:
    return f"v-{indicator_id}-{index}"


def _entry_rows(indicators, points_by_key, errors, posted):
    rows = []
    for indicator in indicators:
        cells = []
        for index, cell in enumerate(indicator.cells):
            point = points_by_key.get((indicator.pk, cell))
            name = _field(indicator.pk, index)
            cells.append(
                {
                    "name": name,
                    "cell": cell,
                    "index": index,
                    "point": point,
                    "value": posted.get(name, "" if point is None else point.value),
                    "errors": errors.get(name, []),
                    "locked": point is not None and point.status == DataPoint.Status.APPROVED,
                }
            )
        rows.append(
            {
                "indicator": indicator,
                "cells": cells,
                "comment": posted.get(f"c-{indicator.pk}", ""),
                "warning": errors.get(f"w-{indicator.pk}"),
            }
        )
    return rows


@org_view("measures.submit")
def entry(request, initiative_id):
    """One form per period: every indicator and disaggregation cell the partner owes."""
    initiative = _initiative(request, initiative_id)
    partner, by_staff = _entry_partner(request)
    period = (request.GET.get("period") or request.POST.get("period") or "").strip()
    frequency = frequency_of(period)
    partners = Partner.objects.filter(organization=request.organization) if by_staff else []
    if partner is None or frequency is None:
        if period and frequency is None:
            messages.error(
                request, _("“%(period)s” is not a reporting period.") % {"period": period}
            )
        return render(
            request,
            "measures/entry.html",
            {"initiative": initiative, "partner": partner, "partners": partners, "period": period},
        )
    indicators = selectors.requested_indicators(initiative, partner, period)
    if by_staff:
        indicators = list(
            Indicator.objects.filter(
                initiative=initiative, is_active=True, frequency=frequency
            ).order_by("name")
        )
    points = DataPoint.objects.filter(indicator__in=indicators, partner=partner, period=period)
    points_by_key = {(p.indicator_id, p.cell): p for p in points}
    errors: dict[str, list[str]] = {}
    posted = {}
    if request.method == "POST":
        submit = request.POST.get("action") == "submit"
        posted = request.POST
        saved = 0
        asked = {str(i.pk) for i in indicators}
        if any(k.startswith("v-") and k.split("-")[1] not in asked for k in request.POST):
            errors["__all__"] = [
                _(
                    "Your organization was not asked to report some of these values; they were not saved."
                )
            ]
        for indicator in indicators:
            comment = request.POST.get(f"c-{indicator.pk}", "").strip()
            confirmed = bool(request.POST.get(f"ok-{indicator.pk}"))
            for index, cell in enumerate(indicator.cells):
                name = _field(indicator.pk, index)
                raw = request.POST.get(name, "").strip()
                point = points_by_key.get((indicator.pk, cell))
                if raw == "" or (
                    point and point.status == DataPoint.Status.APPROVED and not by_staff
                ):
                    continue
                version = request.POST.get(f"ver-{indicator.pk}-{index}")
                try:
                    services.data_point_save(
                        indicator=indicator,
                        period=period,
                        partner=partner,
                        cell=cell,
                        value=raw,
                        user=request.user,
                        submit=submit,
                        comment=comment,
                        expected_version=int(version) if version else None,
                        confirmed=confirmed,
                        by_staff=by_staff,
                    )
                    saved += 1
                except ValidationError as error:
                    errors[name] = error.messages
                    if any(
                        getattr(e, "code", "") == "needs_confirmation" for e in error.error_list
                    ):
                        errors[f"w-{indicator.pk}"] = True
        if not errors:
            if by_staff:
                note = _("%(count)s value(s) entered by the backbone and approved.")
            elif submit:
                note = _("%(count)s value(s) submitted for approval.")
            else:
                note = _("%(count)s value(s) saved as a draft.")
            messages.success(request, note % {"count": saved})
            url = _url("entry", request, initiative_id=initiative.pk) + f"?period={period}"
            if by_staff:
                url += f"&partner={partner.pk}"
            return redirect(url)
        for message in errors.get("__all__", []):
            messages.error(request, message)
        messages.error(request, _("Some values need your attention; the others are saved."))
        points_by_key = {
            (p.indicator_id, p.cell): p
            for p in DataPoint.objects.filter(
                indicator__in=indicators, partner=partner, period=period
            )
        }
    return render(
        request,
        "measures/entry.html",
        {
            "initiative": initiative,
            "partner": partner,
            "partners": partners,
            "by_staff": by_staff,
            "period": period,
            "rows": _entry_rows(indicators, points_by_key, errors, posted),
        },
        status=INVALID_FORM if errors else 200,
    )


@require_POST
@org_view("measures.submit")
def entry_check(request, initiative_id):
    """HTMX: check one value as it is typed, without saving it."""
    initiative = _initiative(request, initiative_id)
    # htmx posts the whole form; `field` names the one being checked.
    name = request.POST.get("field") or next((k for k in request.POST if k.startswith("v-")), "")
    try:
        _v, indicator_id, index = name.split("-")
        indicator = Indicator.objects.get(
            initiative=initiative, organization=request.organization, pk=int(indicator_id)
        )
    except (ValueError, Indicator.DoesNotExist):
        raise Http404 from None
    raw = request.POST.get(name, "").strip()
    previous = None
    partner, _by_staff = _entry_partner(request)
    cells = indicator.cells
    if partner is not None and int(index) < len(cells):
        try:
            previous = selectors.previous_value(
                indicator, request.POST.get("period", ""), partner, cells[int(index)]
            )
        except ValueError:
            previous = None
    verdict = check_value(indicator, raw, previous=previous) if raw else None
    return render(request, "measures/entry.html#check", {"verdict": verdict, "name": name})


@org_view("measures.view")
def data_point_detail(request, data_point_id):
    point = get_object_or_404(
        selectors.data_points_visible_to(request.membership).select_related(
            "indicator", "indicator__initiative", "partner"
        ),
        pk=data_point_id,
    )
    changes = point.changes.select_related("actor")
    return render(request, "measures/data_point.html", {"point": point, "changes": changes})


@org_view("measures.approve")
def approvals(request):
    if request.method == "POST":
        ids = [int(i) for i in request.POST.getlist("points") if i.isdigit()]
        action = request.POST.get("action")
        try:
            if action == "return":
                count = services.data_points_return(
                    organization=request.organization,
                    ids=ids,
                    user=request.user,
                    reason=request.POST.get("reason", ""),
                )
                messages.success(request, _("%(count)s value(s) returned.") % {"count": count})
            else:
                count = services.data_points_approve(
                    organization=request.organization, ids=ids, user=request.user
                )
                messages.success(request, _("%(count)s value(s) approved.") % {"count": count})
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        return redirect(_url("approvals", request))
    queue = list(selectors.approval_queue(request.organization.pk)[:1000])
    return render(request, "measures/approvals.html", {"queue": queue})


@org_view("measures.view")
def export_csv(request, initiative_id):
    initiative = _initiative(request, initiative_id)
    # A partner user exports only its own partner's rows: others' submissions stay theirs.
    points = (
        selectors.data_points_visible_to(request.membership)
        .filter(indicator__initiative=initiative, status=DataPoint.Status.APPROVED)
        .select_related("indicator", "partner")
        .order_by("indicator__name", "period", "partner__name", "cell")
    )
    rows = (
        [
            point.indicator.name,
            point.period,
            point.partner.name,
            point.cell,
            point.value,
            point.indicator.unit,
        ]
        for point in points.iterator(chunk_size=2000)
    )
    header = ["indicator", "period", "partner", "disaggregation", "value", "unit"]
    return csv_response(csv_text(header, rows), f"measures-{initiative.pk}.csv")


@org_view("measures.approve")
def import_values(request, initiative_id):
    """Upload a CSV, see every row checked (preview), then confirm to save them all."""
    initiative = _initiative(request, initiative_id)
    session_key = f"measures-import-{request.organization.pk}-{initiative.pk}"
    form = ValuesImportForm()
    rows, problems = None, 0
    if request.method == "POST" and request.POST.get("confirm"):
        text = request.session.get(session_key)
        if text is None:
            messages.error(request, _("Upload the file again: the preview has expired."))
            return redirect(_url("import", request, initiative_id=initiative.pk))
        try:
            count = values_import(
                rows=parse_values_csv(text, initiative=initiative), user=request.user
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect(_url("import", request, initiative_id=initiative.pk))
        del request.session[session_key]
        messages.success(
            request,
            _("%(count)s value(s) imported; they wait in the approval queue.") % {"count": count},
        )
        return redirect(_url("approvals", request))
    if request.method == "POST":
        form = ValuesImportForm(request.POST, request.FILES)
        if form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                if upload.size > 2_000_000:
                    raise ValidationError(_("The file is larger than 2 MB."))
                text = upload.read().decode("utf-8-sig")
                rows = parse_values_csv(text, initiative=initiative)
                request.session[session_key] = text
                problems = sum(1 for row in rows if row.errors)
            except UnicodeDecodeError:
                form.add_error("file", _("Save the file as CSV in UTF-8 and upload it again."))
            except ValidationError as error:
                form.add_error("file", error)
    return render(
        request,
        "measures/import.html",
        {"initiative": initiative, "form": form, "rows": rows, "problems": problems},
        status=form_status(form),
    )
