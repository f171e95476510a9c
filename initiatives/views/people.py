"""Who takes part in an initiative: its people (participation and engagement levels), the
partner organizations at the table, and its system map."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from backbone.access import org_view
from backbone.deletion import confirm_page, deletion_consequences
from backbone.forms import INVALID_FORM, form_status, form_write
from backbone.links import org_url, row_url
from backbone.permissions import can
from backbone.stale import fingerprint
from stakeholders.capacity_views import capacity_table_context
from stakeholders.selectors import partners_visible_to

from .. import services
from ..form_cache import kept_fields
from ..forms import (
    InitiativePartnerForm,
    ParticipationAddForm,
    ParticipationForm,
    PeopleFilterForm,
)
from ..list_cache import CAPACITY, PEOPLE, cached_list
from ..models import PARTICIPATION_EDITED, InitiativePartner, Participation
from ..row_html import PeopleRows, rows_html
from ..selectors import (
    PeopleFilters,
    level_counts,
    participants,
    people_view_for,
    system_map,
)
from .pages import access_initiative, access_row, page_with_form, posted_add_form, to_tab
from .rows import governance_context

PAGE_SIZE = 25


def _filters(request) -> tuple[PeopleFilterForm, PeopleFilters]:
    form = PeopleFilterForm(request.GET)
    form.is_valid()
    data = form.cleaned_data
    return form, PeopleFilters(
        q=data.get("q", "").strip(),
        role=data.get("role", ""),
        level=data.get("level", ""),
        sector=data.get("sector", ""),
        lived_experience={"yes": True, "no": False}.get(data.get("lived_experience", "")),
    )


def _query_without_page(request) -> str:
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


def _people_results(request, initiative, view, filters, editable: bool) -> dict:
    """The table of people (its partial #results, rows written by initiatives.row_html)
    and the count at each level."""
    page = Paginator(participants(initiative, view, filters), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    contact_url = row_url(request.organization, "stakeholders:contact_detail", "contact_id")
    edit_url = row_url(request.organization, "initiatives:participation_edit", "participation_id")
    written = PeopleRows.of(
        details=view.details, editable=editable, contact_url=contact_url, edit_url=edit_url
    )
    context = {
        "people_rows": rows_html(page.object_list, written.row),
        "page": page,
        "query": _query_without_page(request),
        "people_view": view,
        "editable": editable,
    }
    results = render_to_string("initiatives/people.html#results", context, request)
    return {"results": str(results), "level_counts": level_counts(initiative)}


@org_view("initiatives.view")
def people(request, initiative_id: int):
    """Who takes part, in which roles, how engaged: filtered in place by HTMX, paginated."""
    initiative = access_initiative(request, initiative_id)
    view = people_view_for(request.membership)
    add_form = posted_add_form(request, ParticipationAddForm, initiative=initiative)
    # The form's fields are the service's: contact, roles, level and notes.
    participation = form_write(
        add_form, services.participation_add, initiative=initiative, by=request.user
    )
    if participation:
        messages.success(request, _("%(name)s takes part now.") % {"name": participation.contact})
        return to_tab(request, "people", initiative.pk)
    filter_form, filters = _filters(request)
    editable = can(request.membership, "initiatives.edit") and not initiative.read_only_reason
    # The table and the counts, kept as HTML (list_cache): per initiative, reader and query.
    kept = cached_list(
        request,
        f"people:{initiative.pk}:{editable}",
        lambda: _people_results(request, initiative, view, filters, editable),
        stamp=PEOPLE,
    )
    if request.htmx and request.method == "GET" and not request.htmx.boosted:
        return HttpResponse(kept["results"])
    context = {
        "initiative": initiative,
        "tab": "people",
        "filter_form": filter_form,
        "results": mark_safe(kept["results"]),  # noqa: S308 (written by the template)
        "level_counts": kept["level_counts"],
        # A posted form shows what was typed; the empty one is kept written (form_cache).
        "add_form": add_form
        or (kept_fields(ParticipationAddForm, initiative, auto_id="add_%s") if editable else None),
    }
    status = form_status(add_form)
    return render(request, "initiatives/people.html", context, status=status)


@org_view("initiatives.edit")
def participation_edit(request, participation_id: int):
    participation = access_row(
        request,
        Participation.objects.select_related("contact").prefetch_related("roles"),
        participation_id,
    )
    initial = {
        "roles": [r.role for r in participation.roles.all()],
        "level": participation.level,
        "notes": participation.notes,
        "seen": fingerprint(participation, PARTICIPATION_EDITED),
    }
    form = ParticipationForm(request.POST or None, initial=initial)
    if form_write(
        form, services.participation_update, participation=participation, by=request.user
    ):
        messages.success(request, _("Saved %(name)s.") % {"name": participation.contact})
        return to_tab(request, "people", participation.initiative_id)
    return page_with_form(
        request,
        "initiatives/participation_form.html",
        form,
        participation=participation,
        initiative=participation.initiative,
        history=participation.level_changes.select_related("by"),
    )


@org_view("initiatives.edit")
def participation_remove(request, participation_id: int):
    participation = access_row(
        request, Participation.objects.select_related("contact"), participation_id, write=True
    )
    if request.method != "POST":
        name = participation.contact.full_name
        return confirm_page(
            request,
            title=_("Remove %(name)s from the initiative?") % {"name": name},
            lead=_(
                "%(name)s no longer takes part in %(initiative)s and loses their roles in it. "
                "How their engagement changed stays in the initiative's history, under their "
                "name, and is theirs again if they join again."
            )
            % {"name": name, "initiative": participation.initiative},
            button=_("Remove from the initiative"),
            cancel_url=org_url(
                request.organization,
                "initiatives:participation_edit",
                participation_id=participation.pk,
            ),
            consequences=deletion_consequences(participation),
        )
    services.participation_remove(participation=participation)
    messages.success(request, _("Removed from the initiative."))
    return to_tab(request, "people", participation.initiative_id)


@org_view("initiatives.view")
def system_map_page(request, initiative_id: int):
    initiative = access_initiative(request, initiative_id)

    def make() -> str:
        context = {"map": system_map(initiative, people_view_for(request.membership))}
        return str(render_to_string("initiatives/system_map.html#map-body", context, request))

    # Kept as HTML (list_cache), per initiative and reader, while no one joins or leaves.
    body = cached_list(request, f"map:{initiative.pk}", make, stamp=PEOPLE)
    context = {"initiative": initiative, "tab": "map", "map_body": mark_safe(body)}  # noqa: S308
    return render(request, "initiatives/system_map.html", context)


# Partner organizations at the table (shown on the governance page) -----------


@org_view("initiatives.edit")
@require_POST
def initiative_partner_add(request, initiative_id: int):
    initiative = access_initiative(request, initiative_id, write=True)
    form = InitiativePartnerForm(request.POST, initiative=initiative, auto_id="partner_%s")
    if form.is_valid():
        link = services.initiative_partner_add(initiative=initiative, **form.cleaned_data)
        messages.success(
            request,
            _("%(partner)s takes part as %(role)s.")
            % {"partner": link.partner, "role": link.get_role_display()},
        )
        return to_tab(request, "governance", initiative.pk, "#partners")
    context = governance_context(initiative)
    context["partner_form"] = form
    return render(request, "initiatives/governance.html", context, status=INVALID_FORM)


@org_view("initiatives.edit")
@require_POST
def initiative_partner_remove(request, initiative_partner_id: int):
    link = access_row(request, InitiativePartner, initiative_partner_id, write=True)
    services.initiative_partner_remove(link=link)
    messages.success(request, _("%(partner)s no longer takes part.") % {"partner": link.partner})
    return to_tab(request, "governance", link.initiative_id, "#partners")


@org_view("capacity.view")
def capacity(request, initiative_id: int):
    """The capacity table of the partners taking part in this initiative."""
    initiative = access_initiative(request, initiative_id)
    partners = partners_visible_to(request.membership).filter(
        pk__in=InitiativePartner.objects.filter(initiative=initiative).values("partner")
    )
    list_url = org_url(request.organization, "initiatives:capacity", initiative_id=initiative.pk)
    if request.htmx and not request.htmx.boosted:
        context = {**capacity_table_context(request, partners), "list_url": list_url}
        return render(request, "stakeholders/capacity_table.html#results", context)

    def make() -> str:
        context = {**capacity_table_context(request, partners), "list_url": list_url}
        return str(render_to_string("initiatives/capacity.html#body", context, request))

    # The filters and the table, kept as HTML (list_cache) per initiative, reader and query.
    body = cached_list(request, f"capacity:{initiative.pk}", make, stamp=CAPACITY)
    context = {"initiative": initiative, "tab": "map", "body": mark_safe(body)}  # noqa: S308
    return render(request, "initiatives/capacity.html", context)
