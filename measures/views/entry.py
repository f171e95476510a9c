"""The entry form: a partner (or the backbone for it) enters one period's values."""

import functools

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from backbone.access import access, org_view
from backbone.forms import form_status
from backbone.links import org_url
from backbone.models import Role
from stakeholders.models import Partner
from stakeholders.selectors import partner_of

from .. import selectors, services
from ..forms import DataEntryForm, parse_value_field
from ..models import Indicator
from ..periods import frequency_of
from ..validation import check_value
from . import access_measured_initiative


def _entry_partner(request) -> tuple[Partner | None, bool]:
    """The partner whose values the form edits, and whether the backbone enters them:
    a partner user's own partner; staff choose one."""
    if request.membership.role == Role.PARTNER:
        partner = partner_of(request.membership)
        if partner is None:
            raise Http404
        return partner, False
    partner_id = request.GET.get("partner") or request.POST.get("partner")
    if not partner_id:
        return None, True
    return access(request, Partner, pk=partner_id), True


def partner_options(organization, chosen: Partner | None) -> SafeString:
    """The `<option>`s of the staff's partner chooser, the one `chosen` selected: the
    HTML the template's loop wrote, written in Python (names escaped, ids numbers)."""
    rows = Partner.objects.filter(organization=organization).values_list("pk", "name")
    chosen_pk = chosen.pk if chosen else None
    html = "".join(
        f'<option value="{int(pk)}"{" selected" if pk == chosen_pk else ""}>{escape(name)}</option>'
        for pk, name in rows
    )
    return mark_safe(html)  # noqa: S308 -- every name escaped above


@org_view("measures.submit")
def entry(request, initiative_id):
    """One form per period: every indicator and disaggregation cell the partner owes."""
    initiative = access_measured_initiative(request, initiative_id, write=request.method == "POST")
    partner, by_staff = _entry_partner(request)
    period = (request.GET.get("period") or request.POST.get("period") or "").strip()
    # Read only when the page shows the chooser (the template calls it, once).
    partners = functools.cache(
        lambda: partner_options(request.organization, partner) if by_staff else ""
    )
    if partner is None or frequency_of(period) is None:
        if period and frequency_of(period) is None:
            messages.error(
                request, _("“%(period)s” is not a reporting period.") % {"period": period}
            )
        return render(
            request,
            "measures/entry.html",
            {"initiative": initiative, "partner": partner, "partners": partners, "period": period},
        )
    indicators = selectors.entry_indicators(initiative, partner, period, by_staff=by_staff)
    points = selectors.entry_points(indicators, partner, period)
    form = DataEntryForm(
        request.POST if request.method == "POST" else None,
        indicators=indicators,
        points=points,
        by_staff=by_staff,
    )
    if request.method == "POST":
        # A stray value makes the form invalid, yet the values the partner owes are saved.
        form.is_valid()
        submit = request.POST.get("action") == "submit"
        result = services.data_entry_save(
            partner=partner,
            period=period,
            entries=form.entries(),
            user=request.user,
            submit=submit,
            by_staff=by_staff,
        )
        form.add_result(result)
        message = services.data_entry_message(
            saved=result.saved, problems=bool(form.errors), submit=submit, by_staff=by_staff
        )
        if not form.errors:
            messages.success(request, message)
            url = org_url(request.organization, "measures:entry", initiative_id=initiative.pk)
            url += f"?period={period}" + (f"&partner={partner.pk}" if by_staff else "")
            return redirect(url)
        for error in form.non_field_errors():
            messages.error(request, error)
        messages.error(request, message)
        points = selectors.entry_points(indicators, partner, period)
    return render(
        request,
        "measures/entry.html",
        {
            "initiative": initiative,
            "partner": partner,
            "partners": partners,
            "by_staff": by_staff,
            "period": period,
            "rows": form.rows(points, selectors.last_approved_values(indicators, partner, period)),
        },
        status=form_status(form),
    )


@require_POST
@org_view("measures.submit")
def entry_check(request, initiative_id):
    """HTMX: check one value as it is typed, without saving it."""
    initiative = access_measured_initiative(request, initiative_id)
    # htmx posts the whole form; `field` names the one being checked.
    name = request.POST.get("field") or next((k for k in request.POST if k.startswith("v-")), "")
    key = parse_value_field(name)
    if key is None:
        raise Http404
    indicator_id, index = key
    indicator = access(request, Indicator.objects.filter(initiative=initiative), pk=indicator_id)
    raw = request.POST.get(name, "").strip()
    previous, previous_period = None, ""
    partner, _by_staff = _entry_partner(request)
    cells = indicator.cells
    if partner is not None and index < len(cells):
        try:
            previous, previous_period = selectors.previous_value(
                indicator, request.POST.get("period", ""), partner, cells[index]
            )
        except ValueError:
            previous, previous_period = None, ""
    verdict = (
        check_value(indicator, raw, previous=previous, previous_period=previous_period)
        if raw
        else None
    )
    return render(request, "measures/entry.html#check", {"verdict": verdict, "name": name})
