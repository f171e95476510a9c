"""Pages of an initiative. Thin: parse, call a service or selector, render.

Rows of an initiative (deliverables, action items, teams, risks, funding) share one
pattern, described by a `Section`: a page listing them with an add form, an edit
form per row (inline with HTMX, a page of its own without), and a remove button.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.core.exceptions import FieldDoesNotExist, PermissionDenied, ValidationError
from django.db.models import Model, Q, QuerySet
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from django_htmx.http import reswap, retarget

from backbone.access import org_view
from backbone.permissions import can
from stakeholders.models import Contact

from . import services
from .forms import (
    ActionItemForm,
    DeliverableForm,
    FundingCommitmentForm,
    InitiativeFilterForm,
    InitiativeForm,
    PhaseChangeForm,
    ReadinessItemForm,
    ReadinessItemTextForm,
    ReadinessTickForm,
    RiskForm,
    SponsorForm,
    TeamForm,
    TeamMemberForm,
)
from .models import (
    PHASE_ORDER,
    ActionItem,
    Deliverable,
    FundingCommitment,
    Initiative,
    Phase,
    PhaseTransition,
    ReadinessItem,
    Risk,
    Team,
    TeamMember,
    phase_number,
)
from .selectors import (
    action_items_due,
    action_items_of,
    funding_summary,
    initiative_for,
    initiatives_visible_to,
    readiness_grid,
    readiness_percent,
    risks_by_severity,
    row_for,
    teams_of,
    with_progress,
)


def _invalid(request) -> int:
    """The status of a form shown again with its errors.

    htmx swaps only successful responses, so a form re-rendered in place answers 200;
    a full page answers 400.
    """
    return 200 if request.htmx else 400


def _require_edit(request) -> None:
    if not can(request.membership, "initiatives.edit"):
        raise PermissionDenied


def _apply_errors(form, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for name, errors in exc.error_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, exc)


def _initiative_url(initiative: Initiative, name: str = "detail") -> str:
    return reverse(
        f"initiatives:{name}",
        kwargs={"org_slug": initiative.organization.slug, "initiative_id": initiative.pk},
    )


# The organization's home and the list


@org_view("initiatives.view")
def dashboard(request):
    today = timezone.localdate()
    initiatives = list(
        with_progress(
            initiatives_visible_to(request.membership).order_by("name"),
            today=today,
            top_risks=True,
        )
    )
    for initiative in initiatives:
        initiative.readiness_percent = readiness_percent(
            initiative.readiness_done, initiative.readiness_total
        )
        initiative.top_risks = initiative.open_risks[:3]
    overdue, this_week = action_items_due(request.membership, today=today)
    return render(
        request,
        "initiatives/dashboard.html",
        {"initiatives": initiatives, "overdue_count": len(overdue), "week_count": len(this_week)},
    )


@org_view("initiatives.view")
def index(request):
    filters = InitiativeFilterForm(request.GET or None)
    filters.is_valid()
    wanted = getattr(filters, "cleaned_data", {})
    queryset = initiatives_visible_to(request.membership, include_archived=wanted.get("archived"))
    if wanted.get("phase"):
        queryset = queryset.filter(phase=wanted["phase"])
    if wanted.get("q"):
        q = wanted["q"]
        queryset = queryset.filter(
            Q(name__icontains=q) | Q(issue__icontains=q) | Q(geography__icontains=q)
        )
    initiatives = list(with_progress(queryset.order_by("name"), today=timezone.localdate()))
    for initiative in initiatives:
        initiative.readiness_percent = readiness_percent(
            initiative.readiness_done, initiative.readiness_total
        )
    template = "initiatives/index.html#results" if request.htmx else "initiatives/index.html"
    return render(request, template, {"initiatives": initiatives, "filters": filters})


@org_view("initiatives.edit")
def create(request):
    form = InitiativeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        initiative = services.initiative_create(
            organization=request.organization, **form.cleaned_data
        )
        messages.success(
            request,
            _("%(name)s is started, with its readiness matrix and five deliverables.")
            % {"name": initiative.name},
        )
        return redirect(_initiative_url(initiative))
    return render(
        request,
        "initiatives/initiative_form.html",
        {"form": form},
        status=400 if form.errors else 200,
    )


# One initiative


def _detail_context(request, initiative: Initiative, phase_form=None) -> dict[str, Any]:
    grid = readiness_grid(initiative)
    today = timezone.localdate()
    progress = with_progress(Initiative.objects.filter(pk=initiative.pk), today=today).get()
    next_phase = (
        PHASE_ORDER[initiative.phase_number] if initiative.phase_number < len(PHASE_ORDER) else None
    )
    return {
        "initiative": initiative,
        "tab": "overview",
        "grid": grid,
        "current_percent": grid.percent_of(initiative.phase),
        "open_items": grid.open_items_of(initiative.phase),
        "progress": progress,
        "transitions": PhaseTransition.objects.filter(initiative=initiative).select_related("by"),
        "phase_form": phase_form or PhaseChangeForm(initial={"to_phase": next_phase}),
        "next_phase": next_phase and Phase(next_phase),
        "phases": [(p, phase_number(p.value)) for p in Phase],
    }


@org_view("initiatives.view")
def detail(request, initiative_id: int):
    initiative = initiative_for(request.membership, initiative_id)
    return render(request, "initiatives/detail.html", _detail_context(request, initiative))


@org_view("initiatives.edit")
def edit(request, initiative_id: int):
    initiative = initiative_for(request.membership, initiative_id)
    form = InitiativeForm(request.POST or None, instance=initiative)
    if request.method == "POST" and form.is_valid():
        services.initiative_update(initiative=initiative, **form.cleaned_data)
        messages.success(request, _("Saved."))
        return redirect(_initiative_url(initiative))
    return render(
        request,
        "initiatives/initiative_form.html",
        {"form": form, "initiative": initiative},
        status=400 if form.errors else 200,
    )


@org_view("initiatives.edit")
@require_POST
def archive(request, initiative_id: int):
    initiative = initiative_for(request.membership, initiative_id)
    if initiative.is_archived:
        services.initiative_restore(initiative=initiative)
        messages.success(request, _("%(name)s is back in the lists.") % {"name": initiative.name})
    else:
        services.initiative_archive(initiative=initiative)
        messages.success(
            request,
            _("%(name)s is archived: it left the lists and keeps all its data.")
            % {"name": initiative.name},
        )
    return redirect(_initiative_url(initiative))


@org_view("initiatives.edit")
@require_POST
def phase_change(request, initiative_id: int):
    initiative = initiative_for(request.membership, initiative_id)
    form = PhaseChangeForm(request.POST)
    if form.is_valid():
        try:
            transition = services.initiative_change_phase(
                initiative=initiative,
                to_phase=form.cleaned_data["to_phase"],
                by=request.user,
                note=form.cleaned_data["note"],
                confirm_open_items=form.cleaned_data["confirm"],
            )
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(
                request,
                _("%(name)s moved to %(phase)s.")
                % {"name": initiative.name, "phase": transition.get_to_phase_display()},
            )
            return redirect(_initiative_url(initiative))
    return render(
        request, "initiatives/detail.html", _detail_context(request, initiative, form), status=400
    )


# Readiness matrix


def _readiness_context(initiative: Initiative, add_form=None) -> dict[str, Any]:
    grid = readiness_grid(initiative)
    return {
        "initiative": initiative,
        "tab": "readiness",
        "grid": grid,
        "current_percent": grid.percent_of(initiative.phase),
        "add_form": add_form
        or ReadinessItemForm(initial={"phase": initiative.phase}, auto_id="add_%s"),
        "tick_form": ReadinessTickForm(initial={"done_on": timezone.localdate()}),
    }


@org_view("initiatives.view")
def readiness(request, initiative_id: int):
    initiative = initiative_for(request.membership, initiative_id)
    form = None
    if request.method == "POST":
        _require_edit(request)
        form = ReadinessItemForm(request.POST, auto_id="add_%s")
        if form.is_valid():
            item = services.readiness_item_add(initiative=initiative, **form.cleaned_data)
            if request.htmx:
                # The new item lands in its cell; the add form stays as it is for the next one.
                response = _render_item(request, item)
                return reswap(
                    retarget(response, f"#cell-{item.phase}-{item.component}"), "outerHTML"
                )
            return redirect(_initiative_url(initiative, "readiness"))
        if request.htmx:
            return render(
                request,
                "initiatives/readiness.html#add-item",
                _readiness_context(initiative, form),
                status=_invalid(request),
            )
    return render(
        request,
        "initiatives/readiness.html",
        _readiness_context(initiative, form),
        status=400 if form is not None else 200,
    )


def _render_item(request, item: ReadinessItem, **extra) -> HttpResponse:
    """After a change to one item: its cell in place (HTMX) or the whole matrix."""
    initiative = item.initiative
    if not request.htmx:
        return redirect(
            _initiative_url(initiative, "readiness") + f"#cell-{item.phase}-{item.component}"
        )
    grid = readiness_grid(initiative)
    cell = next(
        c
        for row in grid.rows
        for c in row.cells
        if (c.phase, c.component) == (item.phase, item.component)
    )
    return render(
        request,
        "initiatives/readiness.html#cell",
        {
            "initiative": initiative,
            "cell": cell,
            "tick_form": ReadinessTickForm(initial={"done_on": timezone.localdate()}),
            **extra,
        },
    )


@org_view("initiatives.edit")
@require_POST
def readiness_item_tick(request, readiness_item_id: int):
    item = row_for(request.membership, ReadinessItem.objects, readiness_item_id)
    if item.is_done:
        services.readiness_item_untick(item=item)
        return _render_item(request, item)
    form = ReadinessTickForm(request.POST, instance=ReadinessItem(done_on=None))
    if not form.is_valid():
        return _render_item(request, item, tick_errors={item.pk: form.errors})
    services.readiness_item_tick(
        item=item,
        by=request.user,
        done_on=form.cleaned_data["done_on"],
        evidence=form.cleaned_data["evidence"],
    )
    return _render_item(request, item)


@org_view("initiatives.edit")
def readiness_item_edit(request, readiness_item_id: int):
    item = row_for(request.membership, ReadinessItem.objects, readiness_item_id)
    form = ReadinessItemTextForm(request.POST or None, instance=item)
    if request.method == "POST" and form.is_valid():
        services.readiness_item_update(item=item, text=form.cleaned_data["text"])
        return _render_item(request, item)
    return render(
        request,
        "initiatives/row_form.html",
        {
            "initiative": item.initiative,
            "form": form,
            "title": _("Edit readiness item"),
            "action": request.path,
            "back": _initiative_url(item.initiative, "readiness"),
        },
        status=400 if form.errors else 200,
    )


@org_view("initiatives.edit")
@require_POST
def readiness_item_move(request, readiness_item_id: int):
    item = row_for(request.membership, ReadinessItem.objects, readiness_item_id)
    item = services.readiness_item_move(item=item, up=request.POST.get("direction") != "down")
    return _render_item(request, item)


@org_view("initiatives.edit")
@require_POST
def readiness_item_remove(request, readiness_item_id: int):
    item = row_for(request.membership, ReadinessItem.objects, readiness_item_id)
    services.readiness_item_remove(item=item)
    return _render_item(request, item)


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


def _funding_extra(initiative: Initiative, rows: list) -> dict:
    return {"summary": funding_summary(rows)}


def _governance_extra(initiative: Initiative, rows: list) -> dict:
    contacts = list(Contact.objects.filter(organization_id=initiative.organization_id))
    return {
        "sponsor_form": SponsorForm(initiative=initiative),
        "member_forms": {
            team.pk: TeamMemberForm(team=team, contacts=contacts, auto_id=f"team{team.pk}_%s")
            for team in rows
        },
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
    ),
}


def _section_context(section: Section, initiative: Initiative, add_form=None) -> dict[str, Any]:
    rows = list(section.rows(initiative))
    return {
        "initiative": initiative,
        "tab": section.name,
        "section": section,
        "rows": rows,
        "today": timezone.localdate(),
        "add_form": add_form or section.form_class(initiative=initiative, auto_id="add_%s"),
        "status_choices": _status_choices(section.model),
        **section.more_context(initiative, rows),
    }


def _status_choices(model: type[Model]) -> list[tuple[str, str]]:
    try:
        return model._meta.get_field("status").choices
    except FieldDoesNotExist:
        return []


def _section_page(request, initiative_id: int, name: str):
    section = SECTIONS[name]
    initiative = initiative_for(request.membership, initiative_id)
    form = None
    if request.method == "POST":
        _require_edit(request)
        form = section.form_class(request.POST, initiative=initiative, auto_id="add_%s")
        if form.is_valid():
            row = section.add(initiative=initiative, **form.cleaned_data)
            if not request.htmx:
                messages.success(request, _("Added “%(row)s”.") % {"row": row})
                return redirect(_initiative_url(initiative, name))
            form = None
    template = f"initiatives/{name}.html"
    if request.htmx and request.method == "POST":
        template += "#section"
    return render(
        request,
        template,
        _section_context(section, initiative, form),
        status=_invalid(request) if form is not None and form.errors else 200,
    )


def _row_edit(request, name: str, pk: int):
    section = SECTIONS[name]
    row = row_for(request.membership, section.model.objects, pk)
    initiative = row.initiative
    form = section.form_class(request.POST or None, instance=row, initiative=initiative)
    if request.method == "POST":
        _require_edit(request)
        if form.is_valid():
            try:
                row = section.update(**{section.row_kwarg: row}, **form.cleaned_data)
            except ValidationError as exc:
                _apply_errors(form, exc)
            else:
                if not request.htmx:
                    messages.success(request, _("Saved."))
                    return redirect(_initiative_url(initiative, name))
                context = _section_context(section, initiative)
                return render(request, f"initiatives/{name}.html#row", {**context, "row": row})
    if request.htmx:
        if request.method == "GET" and request.GET.get("cancel"):
            row.refresh_from_db()
            context = _section_context(section, initiative)
            return render(request, f"initiatives/{name}.html#row", {**context, "row": row})
        return render(
            request,
            "initiatives/row_form.html#inline",
            {"form": form, "row": row, "action": request.path, "section": section},
            status=_invalid(request) if form.errors else 200,
        )
    return render(
        request,
        "initiatives/row_form.html",
        {
            "initiative": initiative,
            "form": form,
            "title": _("Edit"),
            "action": request.path,
            "back": _initiative_url(initiative, name),
            "tab": name,
        },
        status=400 if form.errors else 200,
    )


def _row_remove(request, name: str, pk: int):
    section = SECTIONS[name]
    row = row_for(request.membership, section.model.objects, pk)
    section.remove(**{section.row_kwarg: row})
    if request.htmx:
        return HttpResponse("")
    messages.success(request, _("Removed “%(row)s”.") % {"row": row})
    return redirect(_initiative_url(row.initiative, name))


def _row_status(request, name: str, pk: int):
    """Change only a row's status, from a select in the row."""
    section = SECTIONS[name]
    row = row_for(request.membership, section.model.objects, pk)
    status = request.POST.get("status", "")
    error = None
    if status in dict(_status_choices(section.model)):
        row = section.update(**{section.row_kwarg: row}, status=status)
    else:
        error = _("Choose one of the statuses.")
    if not request.htmx:
        if error:
            messages.error(request, error)
        return redirect(_initiative_url(row.initiative, name))
    context = _section_context(section, row.initiative)
    return render(
        request,
        f"initiatives/{name}.html#row",
        {**context, "row": row, "row_error": error},
        status=_invalid(request) if error else 200,
    )


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
    team = row_for(request.membership, Team.objects, team_id)
    form = TeamMemberForm(request.POST, team=team, auto_id=f"team{team.pk}_%s")
    if form.is_valid():
        services.team_member_add(team=team, **form.cleaned_data)
        return _after_team_change(request, team)
    section = SECTIONS["governance"]
    context = _section_context(section, team.initiative)
    context["member_forms"][team.pk] = form
    if request.htmx:
        row = next(t for t in context["rows"] if t.pk == team.pk)
        return render(request, "initiatives/governance.html#row", {**context, "row": row})
    return render(request, "initiatives/governance.html", context, status=400)


@org_view("initiatives.edit")
@require_POST
def team_member_remove(request, team_member_id: int):
    member = get_member(request, team_member_id)
    services.team_member_remove(member=member)
    return _after_team_change(request, member.team)


def get_member(request, team_member_id: int) -> TeamMember:
    visible = initiatives_visible_to(request.membership, include_archived=True)
    return get_object_or_404(
        TeamMember.objects.select_related("team__initiative"),
        organization_id=request.organization.pk,
        team__initiative__in=visible,
        pk=team_member_id,
    )


def _after_team_change(request, team: Team):
    initiative = team.initiative
    if request.htmx:
        section = SECTIONS["governance"]
        context = _section_context(section, initiative)
        row = next(t for t in context["rows"] if t.pk == team.pk)
        return render(request, "initiatives/governance.html#row", {**context, "row": row})
    return redirect(_initiative_url(initiative, "governance") + f"#team-{team.pk}")


@org_view("initiatives.edit")
@require_POST
def sponsor(request, initiative_id: int):
    initiative = initiative_for(request.membership, initiative_id)
    form = SponsorForm(request.POST, initiative=initiative)
    if form.is_valid():
        services.sponsor_set(initiative=initiative, **form.cleaned_data)
        messages.success(request, _("Saved."))
        return redirect(_initiative_url(initiative, "governance"))
    initiative.refresh_from_db()
    context = _section_context(SECTIONS["governance"], initiative)
    context["sponsor_form"] = form
    return render(request, "initiatives/governance.html", context, status=400)


@org_view("initiatives.view")
def actions_due(request):
    overdue, this_week = action_items_due(request.membership, today=timezone.localdate())
    return render(
        request,
        "initiatives/actions_due.html",
        {"groups": [(_("Overdue"), overdue), (_("Due in the next seven days"), this_week)]},
    )
