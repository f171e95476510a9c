"""The overview of risks and readiness (the former home), the list, and one initiative:
details, archive, phase."""

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from backbone.access import org_view
from backbone.forms import INVALID_FORM, add_service_errors, form_write
from backbone.links import row_url
from backbone.permissions import can

from .. import services
from ..board_cache import kept_board
from ..figures_cache import cached_figures
from ..form_cache import kept_form
from ..forms import InitiativeFilterForm, InitiativeForm, PhaseChangeForm
from ..list_cache import cached_list
from ..models import PHASE_ORDER, Initiative, Phase, PhaseTransition, phase_number
from ..selectors import (
    action_items_due_counts,
    action_items_due_queryset,
    initiatives_visible_to,
    readiness_percent,
    with_progress,
)
from .pages import access_initiative, page_with_form, to_tab
from .reflections import board_context

# The organization's home and the list

INITIATIVES_PAGE_SIZE = 50
ACTIONS_PAGE_SIZE = 50
OVERVIEW_PAGE_SIZE = 24
# The columns of the table of actions due.
DUE_COLUMNS = (
    "title",
    "due_date",
    "status",
    "initiative__name",
    "lead__first_name",
    "lead__last_name",
)


@org_view("initiatives.view")
def dashboard(request):
    """Risks and readiness: a card per initiative, `OVERVIEW_PAGE_SIZE` a page (the cards
    and counts kept as HTML, `list_cache`)."""
    kept = cached_list(request, "overview", lambda: _overview_cards(request))
    if request.htmx:
        return HttpResponse(kept["cards"])
    context = {**kept, "cards": mark_safe(kept["cards"])}  # noqa: S308 (rendered by a template)
    return render(request, "initiatives/dashboard.html", context)


def _overview_cards(request) -> dict[str, Any]:
    today = timezone.localdate()
    cards = with_progress(
        initiatives_visible_to(request.membership).order_by("name", "id"),
        today=today,
        top_risks=True,
    )
    page = Paginator(cards, OVERVIEW_PAGE_SIZE).get_page(request.GET.get("page"))
    initiatives = list(page.object_list)
    for initiative in initiatives:
        initiative.readiness_percent = readiness_percent(
            initiative.readiness_done, initiative.readiness_total
        )
        initiative.top_risks = initiative.open_risks[:3]
    overdue_count, week_count = action_items_due_counts(request.membership, today=today)
    context = {"initiatives": initiatives, "page": page}
    return {
        "cards": str(render_to_string("initiatives/dashboard.html#cards", context, request)),
        "any_initiative": bool(initiatives),
        "overdue_count": overdue_count,
        "week_count": week_count,
    }


@org_view("initiatives.view")
def index(request):
    filters = InitiativeFilterForm(request.GET or None)
    filters.is_valid()
    wanted = getattr(filters, "cleaned_data", {})
    results = cached_list(request, "index", lambda: _index_results(request, wanted))
    if request.htmx:
        return HttpResponse(results)
    context = {"filters": filters, "results": mark_safe(results)}  # noqa: S308 (a template's)
    return render(request, "initiatives/index.html", context)


def _index_results(request, wanted: dict[str, Any]) -> str:
    queryset = initiatives_visible_to(request.membership, include_archived=wanted.get("archived"))
    if wanted.get("phase"):
        queryset = queryset.filter(phase=wanted["phase"])
    if wanted.get("q"):
        q = wanted["q"]
        queryset = queryset.filter(
            Q(name__icontains=q) | Q(issue__icontains=q) | Q(geography__icontains=q)
        )
    ordered = with_progress(queryset.order_by("name", "id"), today=timezone.localdate())
    page = Paginator(ordered, INITIATIVES_PAGE_SIZE).get_page(request.GET.get("page"))
    initiatives = list(page.object_list)
    for initiative in initiatives:
        initiative.readiness_percent = readiness_percent(
            initiative.readiness_done, initiative.readiness_total
        )
    query = request.GET.copy()
    query.pop("page", None)
    context = {"initiatives": initiatives, "page": page, "query": query.urlencode()}
    return str(render_to_string("initiatives/index.html#results", context, request))


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
        return to_tab(request, "detail", initiative.pk)
    return page_with_form(request, "initiatives/initiative_form.html", form)


# One initiative


def _detail_context(request, initiative: Initiative, phase_form=None) -> dict[str, Any]:
    board = {}
    if can(request.membership, "initiatives.reflect"):

        def make(csrf_token: str) -> str:
            context = board_context(request, initiative) | {
                "organization": request.organization,
                "csrf_token": csrf_token,
            }
            return render_to_string("initiatives/detail.html#reflection-board", context)

        # The board is drawn once a minute per reader while no note or vote changed.
        board = {"board": True, "board_html": kept_board(request, initiative, make)}
    figures = cached_figures(initiative, today=timezone.localdate())
    next_phase = (
        PHASE_ORDER[initiative.phase_number] if initiative.phase_number < len(PHASE_ORDER) else None
    )
    return {
        "initiative": initiative,
        "tab": "overview",
        "current_percent": figures.current_percent,
        "open_items": figures.open_items,
        "progress": figures.progress,
        "transitions": PhaseTransition.objects.filter(initiative=initiative).select_related("by"),
        # A refused form shows what was typed; the empty one is kept written (form_cache).
        "phase_form": phase_form
        or kept_form(
            initiative.organization_id,
            f"PhaseChangeForm:{next_phase}",
            lambda: PhaseChangeForm(initial={"to_phase": next_phase}),
        ),
        "next_phase": next_phase and Phase(next_phase),
        "phases": [(p, phase_number(p.value)) for p in Phase],
        "will": figures.will,
        **board,
    }


@org_view("initiatives.view")
def detail(request, initiative_id: int):
    # A POST to a page that only reads counts as a write: refused on an archived initiative.
    initiative = access_initiative(request, initiative_id)
    return render(request, "initiatives/detail.html", _detail_context(request, initiative))


@org_view("initiatives.edit")
def edit(request, initiative_id: int):
    initiative = access_initiative(request, initiative_id)
    form = InitiativeForm(request.POST or None, instance=initiative)
    if (
        form_write(form, services.initiative_update, initiative=initiative, by=request.user)
        is not None
    ):
        messages.success(request, _("Saved."))
        return to_tab(request, "detail", initiative.pk)
    if form.errors:
        initiative.refresh_from_db()  # the form keeps what was typed; the title keeps the name
    return page_with_form(request, "initiatives/initiative_form.html", form, initiative=initiative)


@org_view("initiatives.edit")
@require_POST
def archive(request, initiative_id: int):
    # Not a write in the sense of `access`: restoring is what an archived initiative allows.
    initiative = access_initiative(request, initiative_id, write=False)
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
    return to_tab(request, "detail", initiative.pk)


@org_view("initiatives.edit")
@require_POST
def phase_change(request, initiative_id: int):
    initiative = access_initiative(request, initiative_id, write=True)
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
            add_service_errors(form, exc)
        else:
            messages.success(
                request,
                _("%(name)s moved to %(phase)s.")
                % {"name": initiative.name, "phase": transition.get_to_phase_display()},
            )
            return to_tab(request, "detail", initiative.pk)
    return render(
        request,
        "initiatives/detail.html",
        _detail_context(request, initiative, form),
        status=INVALID_FORM,
    )


@org_view("initiatives.view")
def actions_due(request):
    """The open actions overdue and due this week, each group a page of `ACTIONS_PAGE_SIZE`
    (by due date) with its own page number in the query string (kept as HTML,
    `list_cache`)."""
    groups = cached_list(request, "actions-due", lambda: _due_groups(request))
    for key, html in groups:
        if request.htmx and f"{key}_page" in request.GET:  # one group's next page, in place
            return HttpResponse(html)
    groups_html = mark_safe("".join(html for _key, html in groups))  # noqa: S308 (a template's)
    return render(request, "initiatives/actions_due.html", {"groups": groups_html})


def _due_groups(request) -> list[tuple[str, str]]:
    today = timezone.localdate()
    due = (
        action_items_due_queryset(request.membership, today=today)
        .select_related(None)  # what the table shows, and no more
        .select_related("lead", "initiative")
        .only(*DUE_COLUMNS)
        .order_by("due_date", "pk")
    )
    actions_url = row_url(request.organization, "initiatives:actions", "initiative_id")
    groups = []
    for key, title, rows in (
        ("overdue", _("Overdue"), due.filter(due_date__lt=today)),
        ("week", _("Due in the next seven days"), due.filter(due_date__gte=today)),
    ):
        page = Paginator(rows, ACTIONS_PAGE_SIZE).get_page(request.GET.get(f"{key}_page"))
        query = request.GET.copy()
        query.pop(f"{key}_page", None)
        context = {
            "key": key,
            "title": title,
            "page": page,
            "query": query.urlencode(),
            "actions_url": actions_url,
        }
        html = render_to_string("initiatives/actions_due.html#group", context, request)
        groups.append((key, str(html)))
    return groups
