"""Rows of an initiative: deliverables, action items, teams, risks and funding.

They share one pattern, described by a `Section`: a page listing them with an add form, an edit
form per row (inline with HTMX, a page of its own without), and a remove button.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.core.exceptions import FieldDoesNotExist
from django.db.models import Model, ProtectedError, QuerySet
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from django_htmx.http import HttpResponseClientRedirect

from backbone.access import org_view
from backbone.forms import INVALID_FORM, form_status, form_write
from backbone.saved import announce_saved, append_fragment
from backbone.stale import fingerprint

from .. import row_html, services
from ..form_cache import add_form_html as add_form_html_of
from ..form_cache import kept_fields, kept_form
from ..forms import (
    ActionItemForm,
    DeliverableForm,
    FundingCommitmentForm,
    InitiativePartnerForm,
    RiskForm,
    SponsorForm,
    TeamForm,
    TeamMemberForm,
    team_member_contacts,
)
from ..models import (
    ActionItem,
    Deliverable,
    FundingCommitment,
    Initiative,
    InitiativePartner,
    Risk,
    Team,
    TeamMember,
)
from ..selectors import (
    action_items_of,
    community_will,
    funding_summary,
    is_community_will,
    risks_by_severity,
    teams_of,
)
from ..templatetags.initiative_tags import can_change
from .pages import access_initiative, access_row, page_with_form, posted_add_form, tab_url, to_tab

# Rows of an initiative


@dataclass(frozen=True)
class Section:
    name: str  # the tab and the template: initiatives/<name>.html
    title: Any
    model: type[Model]
    form_class: type
    rows: Callable[[Initiative], QuerySet]
    add: Callable[..., Model]
    update: Callable[..., Model]
    remove: Callable[..., None]
    row_kwarg: str  # how the update and remove services name the row
    more_context: Callable[[Initiative, list], dict] = lambda initiative, rows: {}
    # A partial of the page whose numbers depend on the rows ("initiatives/funding.html#totals"),
    # sent out of band after a row changes in place.
    depends: str = ""


def _funding_extra(initiative: Initiative, rows: list) -> dict:
    return {"summary": funding_summary(rows)}


def _governance_extra(initiative: Initiative, rows: list) -> dict:
    contacts = team_member_contacts(initiative.organization_id) if rows else []
    return {
        # The forms' fields, kept (form_cache); a view shows a posted form instead.
        "sponsor_form": kept_fields(SponsorForm, initiative),
        "partner_links": InitiativePartner.objects.filter(initiative=initiative)
        .select_related("partner")
        .order_by("partner__name", "role"),
        "partner_form": kept_fields(
            InitiativePartnerForm,
            initiative,
            template="initiatives/governance.html#fields",
            auto_id="partner_%s",
        ),
        "member_forms": {
            team.pk: TeamMemberForm(team=team, contacts=contacts, auto_id=f"team{team.pk}_%s")
            for team in rows
        },
    }


def _deliverables_extra(initiative: Initiative, rows: list) -> dict:
    """The "build community will" deliverable shows the events' counts as read-only evidence."""
    will_row = next((row for row in rows if is_community_will(row)), None)
    return {
        "community_will_id": will_row.pk if will_row else None,
        "will": community_will(initiative) if will_row else None,
    }


SECTIONS = {
    "deliverables": Section(
        name="deliverables",
        title=gettext_lazy("Deliverables"),
        model=Deliverable,
        form_class=DeliverableForm,
        rows=lambda i: Deliverable.objects.filter(initiative=i).select_related("owner"),
        add=services.deliverable_add,
        update=services.deliverable_update,
        remove=services.deliverable_remove,
        row_kwarg="deliverable",
        more_context=_deliverables_extra,
    ),
    "actions": Section(
        name="actions",
        title=gettext_lazy("Action plan"),
        model=ActionItem,
        form_class=ActionItemForm,
        rows=lambda i: action_items_of(ActionItem.objects.filter(initiative=i)),
        add=services.action_item_add,
        update=services.action_item_update,
        remove=services.action_item_remove,
        row_kwarg="action_item",
    ),
    "governance": Section(
        name="governance",
        title=gettext_lazy("Governance"),
        model=Team,
        form_class=TeamForm,
        rows=teams_of,
        add=services.team_add,
        update=services.team_update,
        remove=services.team_remove,
        row_kwarg="team",
        more_context=_governance_extra,
    ),
    "risks": Section(
        name="risks",
        title=gettext_lazy("Risks"),
        model=Risk,
        form_class=RiskForm,
        rows=lambda i: risks_by_severity(Risk.objects.filter(initiative=i)).select_related("owner"),
        add=services.risk_add,
        update=services.risk_update,
        remove=services.risk_remove,
        row_kwarg="risk",
    ),
    "funding": Section(
        name="funding",
        title=gettext_lazy("Funding"),
        model=FundingCommitment,
        form_class=FundingCommitmentForm,
        rows=lambda i: FundingCommitment.objects.filter(initiative=i).select_related("funder"),
        add=services.funding_commitment_add,
        update=services.funding_commitment_update,
        remove=services.funding_commitment_remove,
        row_kwarg="commitment",
        more_context=_funding_extra,
        depends="initiatives/funding.html#totals",
    ),
}


def _section_context(
    section: Section, initiative: Initiative, add_form=None, *, add_form_html=None
) -> dict[str, Any]:
    """`add_form_html`: the empty add form's fields already written (`form_cache`), or ""
    where the member may not add; the form is then not made."""
    rows = list(section.rows(initiative))
    if add_form is None and add_form_html is None:
        add_form = section.form_class(initiative=initiative, auto_id="add_%s")
    return {
        "initiative": initiative,
        "tab": section.name,
        "section": section,
        "rows": rows,
        "today": timezone.localdate(),
        "add_form": add_form,
        "add_form_html": add_form_html,
        "status_choices": _status_choices(section.model),
        **section.more_context(initiative, rows),
    }


def _status_choices(model: type[Model]) -> list[tuple[str, str]]:
    try:
        return model._meta.get_field("status").choices
    except FieldDoesNotExist:
        return []


def governance_context(initiative: Initiative) -> dict[str, Any]:
    """The governance page's context, for the forms on it that post elsewhere."""
    return _section_context(SECTIONS["governance"], initiative)


def _section_page(request, initiative_id: int, name: str):
    section = SECTIONS[name]
    initiative = access_initiative(request, initiative_id)
    form = posted_add_form(request, section.form_class, initiative=initiative)
    if form is not None and form.is_valid():
        row = section.add(initiative=initiative, **form.cleaned_data)
        if not request.htmx:
            messages.success(request, _("Added “%(row)s”.") % {"row": row})
            return to_tab(request, name, initiative.pk)
        form = None
    template = f"initiatives/{name}.html"
    if request.htmx and request.method == "POST":
        template += "#section"
    add_form_html = None
    if form is None:  # the empty form, kept (a posted one shows what was typed)
        may_add = can_change(request.membership, initiative)
        add_form_html = add_form_html_of(section.form_class, initiative) if may_add else ""
    context = _section_context(section, initiative, form, add_form_html=add_form_html)
    if name in ROWS_WRITTEN:
        context["rows_written"] = _rows_written(request, name, context)
    return render(request, template, context, status=form_status(form))


# The sections whose rows are written in Python (initiatives.row_html) rather than by their
# `#row` partial, which still writes a row changed in place.
ROWS_WRITTEN = ("actions", "risks")


def _rows_written(request, name: str, context: dict[str, Any]) -> list[str]:
    """The table's rows as one piece of HTML (a list of one, none when there are no rows)."""
    rows, initiative = context["rows"], context["initiative"]
    if not rows:
        return []
    options = {
        "editable": can_change(request.membership, initiative),
        "csrf_token": get_token(request),
    }
    if name == "actions":
        controls = row_html.action_controls(request.organization, **options)
        return [row_html.rows_html(rows, row_html.action_row, controls, context["today"])]
    controls = row_html.risk_controls(request.organization, **options)
    return [row_html.rows_html(rows, row_html.risk_row, controls, row_html.risk_levels())]


def _row_edit(request, name: str, pk: int):
    section = SECTIONS[name]
    row = access_row(request, section.model, pk)
    initiative = row.initiative
    form = section.form_class(request.POST or None, instance=row, initiative=initiative)
    saved = form_write(form, section.update, **{section.row_kwarg: row}, by=request.user)
    if not form.is_bound and not request.GET.get("cancel"):  # the row as stored: kept written
        form = _kept_edit_form(row, form)
    if saved:
        if not request.htmx:
            messages.success(request, _("Saved."))
            return to_tab(request, name, initiative.pk)
        return _saved_row(request, section, saved, _("Saved: “%(row)s”.") % {"row": saved})
    if request.htmx:
        if request.method == "GET" and request.GET.get("cancel"):
            row.refresh_from_db()
            context = _section_context(section, initiative)
            return render(request, f"initiatives/{name}.html#row", {**context, "row": row})
        return page_with_form(
            request,
            "initiatives/row_form.html#inline",
            form,
            row=row,
            action=request.path,
            section=section,
        )
    return page_with_form(
        request,
        "initiatives/row_form.html",
        form,
        initiative=initiative,
        title=_("Edit"),
        action=request.path,
        back=tab_url(request, name, initiative.pk),
        tab=name,
    )


def _kept_edit_form(row: Model, form):
    """The edit form of `row`, written once for its stored values (their fingerprint, which
    the form holds, is in the key) and the options it lists (`form_cache.OPTIONS`)."""
    key = f"{type(form).__name__}:edit:{row.pk}:{fingerprint(row, form.seen_names())}"
    return kept_form(row.organization_id, key, lambda: form)


def _row_remove(request, name: str, pk: int):
    section = SECTIONS[name]
    row = access_row(request, section.model, pk, write=True)
    try:
        section.remove(**{section.row_kwarg: row})
    except ProtectedError:  # e.g. an action item an adopted plan version links to
        messages.error(
            request,
            _("“%(row)s” is part of a record that keeps it (such as a plan version): it stays.")
            % {"row": row},
        )
        url = tab_url(request, name, row.initiative.pk)
        return HttpResponseClientRedirect(url) if request.htmx else redirect(url)
    if request.htmx:
        response = HttpResponse("")
        if section.depends:
            context = _section_context(section, row.initiative)
            append_fragment(response, request, section.depends, {**context, "oob": True})
        return announce_saved(response, request, _("Removed “%(row)s”.") % {"row": row})
    messages.success(request, _("Removed “%(row)s”.") % {"row": row})
    return to_tab(request, name, row.initiative.pk)


def _row_status(request, name: str, pk: int):
    """Change only a row's status, from a select in the row."""
    section = SECTIONS[name]
    row = access_row(request, section.model, pk, write=True)
    status = request.POST.get("status", "")
    error = None
    if status in dict(_status_choices(section.model)):
        row = section.update(**{section.row_kwarg: row}, status=status)
    else:
        error = _("Choose one of the statuses.")
    if not request.htmx:
        if error:
            messages.error(request, error)
        return to_tab(request, name, row.initiative.pk)
    if error:
        context = _section_context(section, row.initiative)
        return render(
            request,
            f"initiatives/{name}.html#row",
            {**context, "row": row, "row_error": error},
            status=INVALID_FORM,
        )
    message = _("Saved: “%(row)s” is now %(status)s.")
    return _saved_row(
        request, section, row, message % {"row": row, "status": row.get_status_display()}
    )


def _saved_row(request, section: Section, row: Model, message: str) -> HttpResponse:
    """A row changed in place: the row, the page's numbers that depend on it (out of band), and
    what was saved for the live region."""
    context = {**_section_context(section, row.initiative), "row": row}
    response = render(request, f"initiatives/{section.name}.html#row", context)
    if section.depends:
        append_fragment(response, request, section.depends, {**context, "oob": True})
    return announce_saved(response, request, message)


def _section_views(name: str):
    @org_view("initiatives.view")
    def page(request, initiative_id: int):
        return _section_page(request, initiative_id, name)

    @org_view("initiatives.edit")
    def row_edit(request, **kwargs):
        return _row_edit(request, name, next(iter(kwargs.values())))

    @org_view("initiatives.edit")
    @require_POST
    def row_remove(request, **kwargs):
        return _row_remove(request, name, next(iter(kwargs.values())))

    @org_view("initiatives.edit")
    @require_POST
    def row_status(request, **kwargs):
        return _row_status(request, name, next(iter(kwargs.values())))

    return page, row_edit, row_remove, row_status


deliverables, deliverable_edit, deliverable_remove, deliverable_status = _section_views(
    "deliverables"
)
actions, action_item_edit, action_item_remove, action_item_status = _section_views("actions")
governance, team_edit, team_remove, _team_status = _section_views(
    "governance"
)  # teams have no status
risks, risk_edit, risk_remove, risk_status = _section_views("risks")
funding, funding_commitment_edit, funding_commitment_remove, funding_commitment_status = (
    _section_views("funding")
)


@org_view("initiatives.edit")
@require_POST
def team_member_add(request, team_id: int):
    team = access_row(request, Team, team_id, write=True)
    form = TeamMemberForm(request.POST, team=team, auto_id=f"team{team.pk}_%s")
    if form.is_valid():
        services.team_member_add(team=team, **form.cleaned_data)
        return _after_team_change(request, team)
    context = governance_context(team.initiative)
    context["member_forms"][team.pk] = form
    if request.htmx:
        row = next(t for t in context["rows"] if t.pk == team.pk)
        return render(request, "initiatives/governance.html#row", {**context, "row": row})
    return render(request, "initiatives/governance.html", context, status=INVALID_FORM)


@org_view("initiatives.edit")
@require_POST
def team_member_remove(request, team_member_id: int):
    member = access_row(request, TeamMember, team_member_id, write=True, through="team__initiative")
    services.team_member_remove(member=member)
    return _after_team_change(request, member.team)


def _after_team_change(request, team: Team):
    initiative = team.initiative
    if request.htmx:
        context = governance_context(initiative)
        row = next(t for t in context["rows"] if t.pk == team.pk)
        return render(request, "initiatives/governance.html#row", {**context, "row": row})
    return to_tab(request, "governance", initiative.pk, f"#team-{team.pk}")


@org_view("initiatives.edit")
@require_POST
def sponsor(request, initiative_id: int):
    initiative = access_initiative(request, initiative_id, write=True)
    form = SponsorForm(request.POST, initiative=initiative)
    if form_write(form, services.sponsor_set, initiative=initiative, by=request.user):
        messages.success(request, _("Saved."))
        return to_tab(request, "governance", initiative.pk)
    initiative.refresh_from_db()
    context = governance_context(initiative)
    context["sponsor_form"] = form
    return render(request, "initiatives/governance.html", context, status=INVALID_FORM)
