"""Partner capacity: the self-assessment a partner fills each year (by its own users, or
staff on its behalf) and the table of every partner's answers that shows where help is
needed. The initiatives app shows the same table for the partners of one initiative
(`capacity_table_context`)."""

from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import HttpRequest
from django.shortcuts import render
from django.utils.formats import date_format
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.timezone import template_localtime
from django.utils.translation import gettext as _

from backbone.access import access, org_view
from backbone.forms import form_page
from backbone.links import RowUrl, org_url, row_url
from backbone.models import Role

from . import selectors, services
from .forms import CapacityFilterForm, CapacityForm
from .list_cache import cached_registry_fragment
from .models import CAPACITY_DIMENSIONS, CapacityLevel, Partner

PAGE_SIZE = 50


@org_view("capacity.answer")
def capacity_answer(request, partner_id: int):
    """This year's self-assessment of a partner: its own users, or staff on its behalf."""
    partner = access(request, selectors.partners_visible_to(request.membership), pk=partner_id)
    year = services.capacity_year(request.organization)
    history = list(selectors.capacity_history(partner))
    current = next((row for row in history if row.year == year), None)
    form = CapacityForm(request.POST or None, instance=current)
    on_behalf = request.membership.role != Role.PARTNER
    partner_url = org_url(
        request.organization, "stakeholders:partner_detail", partner_id=partner.pk
    )
    return form_page(
        request,
        form,
        "stakeholders/capacity_form.html",
        {
            "partner": partner,
            "year": year,
            "on_behalf": on_behalf,
            "history": [row for row in history if row.year != year],
            "cancel_url": partner_url,
        },
        save=lambda: services.capacity_save(
            partner=partner, by=request.user, on_behalf=on_behalf, **form.cleaned_data
        ),
        done=lambda saved: (
            _("Thank you: %(partner)s's capacity for %(year)s is saved.")
            % {"partner": partner.name, "year": year},
            partner_url,
        ),
    )


def capacity_table_context(
    request: HttpRequest, partners: QuerySet[Partner], kept_as: str = ""
) -> dict:
    """The context of the capacity table of `partners` (filtered by the query string, one
    page of them): a fixed number of queries whatever their number. `kept_as`: the name
    the table of these partners is kept under in the registry cache (none: not kept)."""
    current = services.capacity_year(request.organization)
    years = selectors.capacity_years(request.organization, current)
    form = CapacityFilterForm(request.GET, years=years)
    data = form.cleaned_data if form.is_valid() else {}
    year = data.get("year") or current
    needs_help = data.get("needs_help", "")

    def made() -> tuple:
        rows = selectors.capacity_table(partners, year=year, needs_help=needs_help)
        page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
        partner_url = row_url(request.organization, "stakeholders:partner_detail", "partner_id")
        summary = selectors.capacity_summary(partners, year=year)
        return (
            page.paginator.count,
            page.number,
            capacity_rows(page.object_list, partner_url),
            summary,
        )

    if kept_as:  # the page of every partner the member sees: kept with the registry
        parts = (kept_as, year, needs_help, request.GET.get("page"))
        count, number, rows, summary = cached_registry_fragment(
            request.membership, "capacity", parts, made
        )
    else:
        count, number, rows, summary = made()
    query = request.GET.copy()
    query.pop("page", None)
    return {
        "filter_form": form,
        "page": Paginator(range(count), PAGE_SIZE).get_page(number),
        "rows": rows,
        "query": query.urlencode(),
        "year": year,
        "dimensions": [(name, label) for name, label, _question in CAPACITY_DIMENSIONS],
        "levels": CapacityLevel.choices,
        "summary": summary,
    }


def capacity_rows(partners, partner_url: RowUrl) -> list[SafeString]:
    """The table's rows, written here rather than by the template: 50 partners × 5 cells of
    template tags cost more than the rest of the page."""
    needs_help = _("needs help")
    blank = format_html_join(
        "",
        '<td class="num muted" data-label="{}">–</td>',
        ((label,) for _n, label, _q in CAPACITY_DIMENSIONS),
    ) + format_html('<td class="muted">{}</td>', _("Not answered"))
    rows = []
    for partner in partners:
        assessment = partner.capacity[0] if partner.capacity else None
        if assessment:
            cells = format_html_join(
                "",
                '<td class="num{}" data-label="{}">{}{}</td>',
                (
                    (
                        " capacity--help" if answer["needs_help"] else "",
                        answer["label"],
                        answer["score"],
                        format_html(' <span class="visually-hidden">({})</span>', needs_help)
                        if answer["needs_help"]
                        else "",
                    )
                    for answer in assessment.answers
                ),
            ) + format_html(
                "<td>{}{}</td>",
                date_format(template_localtime(assessment.answered_at), "SHORT_DATE_FORMAT"),
                format_html(' <span class="muted">· {}</span>', _("by staff"))
                if assessment.on_behalf
                else "",
            )
        else:
            cells = blank
        rows.append(
            format_html(
                '<tr>\n<th scope="row"><a href="{}">{}</a></th>{}</tr>',
                partner_url.of(partner.pk),
                partner.name,
                cells,
            )
        )
    return rows


@org_view("capacity.view")
def capacity_table(request):
    """Every partner × the five dimensions, for a year: where partners need help."""
    partners = selectors.partners_visible_to(request.membership)
    context = {
        **capacity_table_context(request, partners, kept_as="all"),
        "list_url": org_url(request.organization, "stakeholders:capacity_table"),
    }
    template = "stakeholders/capacity_table.html"
    if request.htmx and not request.htmx.boosted:
        template += "#results"
    return render(request, template, context)
