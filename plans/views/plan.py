import hashlib
from operator import attrgetter

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Page, Paginator
from django.db.models import Q
from django.http import Http404
from django.middleware.csrf import get_token
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from backbone.access import access, org_view
from backbone.files import file_response
from backbone.forms import INVALID_FORM, add_service_errors, form_status
from backbone.links import org_url
from backbone.markdown import render_document_markdown as render_markdown
from backbone.permissions import can
from backbone.saved import announce_saved
from backbone.stale import STALE
from backbone.tasks import enqueue
from initiatives.selectors import initiatives_visible_to

from .. import tasks
from ..diff import compare_versions
from ..forms import (
    AdoptForm,
    BudgetLineForm,
    CommentForm,
    EngagementActivityForm,
    GoalForm,
    PlanSearchForm,
    SectionForm,
    StrategyActionForm,
    StrategyForm,
    StrategyTargetForm,
)
from ..index_rows import plan_rows
from ..models import (
    SECTION_ORDER,
    BudgetLine,
    EngagementActivity,
    Goal,
    Plan,
    PlanPdf,
    PlanSection,
    SectionKey,
    Strategy,
    StrategyAction,
    StrategyTarget,
)
from ..page_cache import cached_page_part
from ..sections import render_sections
from ..selectors.plan import current_version, plan_versions, version_content, versions_visible_to
from ..selectors.report_card import report_card_counts
from ..services import plan as services
from .outcome import write_and_say


def _initiatives(request):
    """Initiatives the member may read, archived ones included (they stay readable)."""
    return initiatives_visible_to(request.membership, include_archived=True)


def _versions(request):
    """Versions the member may read (partners: adopted versions only)."""
    return versions_visible_to(request.membership)


def _draft_or_message(request, version):
    if version.is_adopted:
        messages.error(
            request, _("This version was adopted and is frozen: it can never be changed.")
        )
        return False
    return True


def _goto(version, anchor: str = ""):
    response = redirect(
        org_url(version.organization, "plans:version_detail", version_id=version.pk)
    )
    if anchor:
        response["Location"] += f"#{anchor}"
    return response


PLANS_PAGE_SIZE = 50


def _index_rows(request, search: str) -> tuple[Page, list[dict]]:
    """The page of initiatives asked for, and each one's plan versions and issued report
    cards: kept with the plan pages (the page returned paginates a range of the count)."""

    def made() -> tuple[int, int, list[dict]]:
        queryset = initiatives_visible_to(request.membership).select_related("plan")
        if search:
            queryset = queryset.filter(Q(name__icontains=search) | Q(issue__icontains=search))
        page = Paginator(queryset.order_by("name", "id"), PLANS_PAGE_SIZE).get_page(
            request.GET.get("page")
        )
        initiatives = list(page.object_list)
        versions = {}
        for version in (
            versions_visible_to(request.membership)
            .filter(plan__initiative__in=initiatives)
            .order_by("plan_id", "-number")
        ):
            versions.setdefault(version.plan.initiative_id, []).append(version)
        issued = report_card_counts(initiatives)
        rows = [
            {
                "initiative": initiative,
                "report_cards": issued.get(initiative.pk, 0),
                "versions": versions.get(initiative.pk, []),
                "current": current_version(versions.get(initiative.pk, [])),
                "adopted": next((v for v in versions.get(initiative.pk, []) if v.is_adopted), None),
            }
            for initiative in initiatives
        ]
        return page.paginator.count, page.number, rows

    asked = hashlib.sha256(repr((search, request.GET.get("page"))).encode()).hexdigest()
    count, number, rows = cached_page_part(request.membership, f"plans-index:{asked}", made)
    return Paginator(range(count), PLANS_PAGE_SIZE).get_page(number), rows


@org_view("plans.view")
def index(request):
    filters = PlanSearchForm(request.GET or None)
    search = filters.cleaned_data["q"] if filters.is_valid() else ""
    page, rows = _index_rows(request, search)
    rows = plan_rows(
        rows,
        request.organization,
        may_start=can(request.membership, "plans.edit"),
        csrf_token=get_token(request),
    )
    query = request.GET.copy()
    query.pop("page", None)
    context = {"rows": rows, "page": page, "filters": filters, "query": query.urlencode()}
    template = "plans/plan/index.html#results" if request.htmx else "plans/plan/index.html"
    return render(request, template, context)


@org_view("plans.edit")
@require_POST
def plan_start(request, initiative_id: int):
    initiative = access(request, _initiatives(request), pk=initiative_id, write=True)
    plan = services.plan_start(initiative=initiative)
    version = plan.versions.order_by("-number").first()
    messages.success(request, _("The plan is started: write its first draft."))
    return _goto(version)


@org_view("plans.view")
def plan_detail(request, initiative_id: int):
    initiative = access(request, _initiatives(request), pk=initiative_id)
    version = current_version(plan_versions(initiative, request.membership))
    if version is None:
        return render(request, "plans/plan/no_plan.html", {"initiative": initiative})
    return _goto(version)


def _version_reads(version, membership) -> tuple:
    """What a version's page reads: its content (data sections assembled), its sections
    rendered, the versions the member sees and the PDF of the content as it is now."""
    content = version_content(version, with_comments=True)
    sections = render_sections(content)
    content.live_data = None  # read by the renderers above; not kept with the page
    versions = plan_versions(version.plan.initiative, membership)
    return content, sections, versions, services.pdf_current(version, content)


def _cached_reads(request, version) -> tuple:
    """`_version_reads`, from the plan pages cache while nothing it shows changed."""
    return cached_page_part(
        request.membership,
        f"version:{version.pk}",
        lambda: _version_reads(version, request.membership),
    )


def _version_page(request, version, status: int = 200, **forms):
    content, sections, versions, pdf = _cached_reads(request, version)
    # A draft of an archived initiative is read-only: no forms that would answer 403.
    open_draft = not version.is_adopted and not version.read_only_reason
    editing = can(request.membership, "plans.edit") and open_draft
    context = {
        "version": version,
        "initiative": version.plan.initiative,
        "content": content,
        "sections": sections,
        "section_rows": [(s, content.comments.get(s.key, [])) for s in sections],
        "versions": versions,
        "editing": editing,
        "commenting": can(request.membership, "plans.comment") and open_draft,
        "pdf": pdf,
    }
    if editing:
        context["has_strategies"] = any(goal.strategies.all() for goal in content.goals)
        context.update(_blank_forms_html(request, version, content.goals))
        context.update((name, form) for name, form in forms.items() if name.endswith("_form"))
        for name in forms:  # a form posted with errors is shown as it was posted
            context.pop(f"{name}_html", None)
    context["comment_form"] = forms.get("comment_form")
    context["comment_section"] = forms.get("comment_section")
    return render(request, "plans/plan/version.html", context, status=status)


@org_view("plans.view")
def version_detail(request, version_id: int):
    return _version_page(request, access(request, _versions(request), pk=version_id))


@org_view("plans.edit")
def section_edit(request, version_id: int, section_key: str):
    version = access(request, _versions(request), pk=version_id, write=request.method == "POST")
    if section_key not in SECTION_ORDER:
        raise Http404
    if not _draft_or_message(request, version):
        return _goto(version)
    section = PlanSection.objects.filter(version=version, key=section_key).first()
    if section is None:
        section = PlanSection(organization=request.organization, version=version, key=section_key)
    form = SectionForm(request.POST or None, instance=section)
    theirs = None
    if request.method == "POST" and form.is_valid():
        try:
            services.section_update(
                version=version,
                key=section_key,
                body=form.cleaned_data["body"],
                user=request.user,
                seen=form.cleaned_data["seen"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
            if getattr(exc, "code", None) == STALE:
                theirs = PlanSection.objects.get(pk=section.pk)
        else:
            if not request.htmx:
                messages.success(request, _("Section saved."))
                return _goto(version, f"section-{section_key}")
            # Saved in place: the editor again, with the fingerprint of what was just saved.
            section = PlanSection.objects.get(version=version, key=section_key)
            form = SectionForm(instance=section)
            response = render(
                request,
                "plans/plan/section_edit.html#editor",
                _section_context(version, section_key, form, None),
            )
            title = SectionKey(section_key).label
            return announce_saved(response, request, _("Saved: %(section)s.") % {"section": title})
    template = "plans/plan/section_edit.html" + ("#editor" if request.htmx else "")
    context = _section_context(version, section_key, form, theirs)
    context["texts"] = section.texts.select_related("author")[:20] if section.pk else []
    return render(request, template, context, status=form_status(form))


def _section_context(version, section_key: str, form, theirs) -> dict:
    return {
        "version": version,
        "initiative": version.plan.initiative,
        "form": form,
        "section_key": section_key,
        "section_title": SectionKey(section_key).label,
        "preview": render_markdown(form["body"].value() or ""),
        "theirs": theirs and render_markdown(theirs.body),
    }


@org_view("plans.edit")
@require_POST
def markdown_preview(request):
    return render(
        request,
        "plans/plan/section_edit.html#preview",
        {"preview": render_markdown(request.POST.get("body", ""))},
    )


@org_view("plans.edit")
def version_adopt(request, version_id: int):
    version = access(request, _versions(request), pk=version_id, write=request.method == "POST")
    if not _draft_or_message(request, version):
        return _goto(version)
    form = AdoptForm(request.POST or None, initial={"seen": services.draft_seen(version)})
    if request.method == "POST" and form.is_valid():
        try:
            services.version_adopt(version=version, user=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request,
                _("Version %(number)s is adopted and frozen.") % {"number": version.number},
            )
            return _goto(version)
    return render(
        request,
        "plans/plan/adopt.html",
        {"version": version, "initiative": version.plan.initiative, "form": form},
        status=form_status(form),
    )


@org_view("plans.edit")
@require_POST
def draft_start(request, initiative_id: int):
    initiative = access(request, _initiatives(request), pk=initiative_id, write=True)
    plan = access(request, Plan, initiative=initiative)
    draft = services.draft_start(plan=plan)
    messages.success(
        request,
        _("Draft version %(number)s starts as a copy of the adopted plan.")
        % {"number": draft.number},
    )
    return _goto(draft)


def _part_forms(request, version, goals, data=None) -> dict:
    """The forms on a draft's page that add a part to it, by their name in the page's
    context; each is made when called, bound to `data` when that is the posted form. Their
    ids are their own (`auto_id`): several of them have a title or a strategy field."""
    organization = request.organization
    return {
        "goal_form": lambda: GoalForm(data, auto_id="id_goal_%s"),
        "strategy_form": lambda: StrategyForm(
            data, organization=organization, goals=goals, auto_id="id_strategy_%s"
        ),
        "budget_form": lambda: BudgetLineForm(data, auto_id="id_budget_%s"),
        "engagement_form": lambda: EngagementActivityForm(
            data, organization=organization, auto_id="id_engagement_%s"
        ),
        "target_form": lambda: StrategyTargetForm(
            data,
            organization=organization,
            goals=goals,
            initiative=version.plan.initiative,
            auto_id="id_target_%s",
        ),
        "action_form": lambda: StrategyActionForm(
            data,
            organization=organization,
            goals=goals,
            initiative=version.plan.initiative,
            auto_id="id_action_%s",
        ),
    }


def _blank_forms_html(request, version, goals) -> dict:
    """The fields of the draft's blank forms (`<name>_html`), as components/form.html
    writes them: kept with the plan pages (their choices are the organization's rows)."""

    def make() -> dict:
        return {
            f"{name}_html": render_to_string("components/form.html", {"form": blank_form()})
            for name, blank_form in _part_forms(request, version, goals).items()
        }

    return cached_page_part(request.membership, f"version-forms:{version.pk}", make)


def _part_add_view(form_name: str, anchor: str, create, *, in_version: bool = False):
    """The view that adds a part to a draft from the page's form `form_name` through the
    service `create` (given the version too when the part sits `in_version` itself, not
    under the goal or strategy the form names), then goes back to `anchor`."""

    @org_view("plans.edit")
    @require_POST
    def add(request, version_id: int):
        version = access(request, _versions(request), pk=version_id, write=True)
        if not _draft_or_message(request, version):
            return _goto(version)
        goals = list(Goal.objects.filter(version=version))
        form = _part_forms(request, version, goals, request.POST)[form_name]()
        if form.is_valid():
            try:
                if in_version:
                    create(version=version, **form.cleaned_data)
                else:
                    create(**form.cleaned_data)
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(request, _("Added."))
                return _goto(version, anchor)
        return _version_page(request, version, status=INVALID_FORM, **{form_name: form})

    return add


def _part_delete_view(model, id_name: str, anchor: str):
    """The view that removes a `model` part (its id is the URL's `id_name`) from its draft,
    then goes back to `anchor` on the draft's page."""
    version_of = attrgetter(model.version_path.replace("__", "."))

    @org_view("plans.edit")
    @require_POST
    def delete(request, **ids):
        item = access(request, model, pk=ids[id_name])
        version = access(request, _versions(request), pk=version_of(item).pk, write=True)
        write_and_say(request, lambda: services.content_delete(item=item), _("Removed."))
        return _goto(version, anchor)

    return delete


# The parts of a draft, each added from its form on the draft's page and removed from its
# row there; the page goes back to the part's section.
_GOALS, _STRATEGIES, _BUDGET = "section-vision_goals", "section-strategy_targets", "section-budget"
goal_add = _part_add_view("goal_form", _GOALS, services.goal_create, in_version=True)
strategy_add = _part_add_view("strategy_form", _STRATEGIES, services.strategy_create)
budget_line_add = _part_add_view(
    "budget_form", _BUDGET, services.budget_line_create, in_version=True
)
engagement_add = _part_add_view(
    "engagement_form", _STRATEGIES, services.engagement_activity_create, in_version=True
)
strategy_target_add = _part_add_view("target_form", _STRATEGIES, services.strategy_target_create)
strategy_action_add = _part_add_view("action_form", _STRATEGIES, services.strategy_action_link)
goal_delete = _part_delete_view(Goal, "goal_id", _GOALS)
strategy_delete = _part_delete_view(Strategy, "strategy_id", _STRATEGIES)
budget_line_delete = _part_delete_view(BudgetLine, "budget_line_id", _BUDGET)
engagement_delete = _part_delete_view(EngagementActivity, "activity_id", _STRATEGIES)
strategy_target_delete = _part_delete_view(StrategyTarget, "target_id", _STRATEGIES)
strategy_action_delete = _part_delete_view(StrategyAction, "strategy_action_id", _STRATEGIES)


@org_view("plans.comment")
@require_POST
def comment_add(request, version_id: int, section_key: str):
    version = access(request, _versions(request), pk=version_id, write=True)
    if section_key not in SECTION_ORDER:
        raise Http404
    form = CommentForm(request.POST)
    if form.is_valid():
        write_and_say(
            request,
            lambda: services.comment_add(
                version=version,
                section_key=section_key,
                author=request.user,
                body=form.cleaned_data["body"],
            ),
            _("Thank you: your comment is with the coordinators."),
        )
        return _goto(version, f"section-{section_key}")
    return _version_page(
        request, version, status=INVALID_FORM, comment_form=form, comment_section=section_key
    )


@org_view("plans.view")
def version_compare(request, initiative_id: int):
    initiative = access(request, _initiatives(request), pk=initiative_id)
    versions = plan_versions(initiative, request.membership)
    by_pk = {str(v.pk): v for v in versions}
    if len(versions) < 2:
        return render(
            request,
            "plans/plan/compare.html",
            {"initiative": initiative, "versions": versions, "diffs": None},
        )
    new = by_pk.get(request.GET.get("new")) or versions[0]
    old = by_pk.get(request.GET.get("old")) or next(v for v in versions if v.pk != new.pk)
    diffs = compare_versions(version_content(old), version_content(new))
    return render(
        request,
        "plans/plan/compare.html",
        {"initiative": initiative, "versions": versions, "old": old, "new": new, "diffs": diffs},
    )


@org_view("plans.download")
def pdf_panel(request, version_id: int):
    """GET: the PDF's state (HTMX polls it); POST: ask for the PDF of the current content
    (a reader's request, so an archived initiative's plan can still be printed)."""
    version = access(request, _versions(request), pk=version_id)
    if request.method == "POST":
        pdf, queued = services.pdf_request(version=version)
        if queued:
            enqueue(tasks.render_plan_pdf, organization_id=version.organization_id, pdf_id=pdf.pk)
        pdf.refresh_from_db()
    else:
        pdf = _cached_reads(request, version)[3]
    context = {"version": version, "pdf": pdf, "initiative": version.plan.initiative}
    if request.htmx:
        return render(request, "plans/plan/pdf_panel.html#panel", context)
    return render(request, "plans/plan/pdf_panel.html", context)


@org_view("plans.download")
def pdf_download(request, version_id: int):
    version = access(request, _versions(request), pk=version_id)
    pdf = _cached_reads(request, version)[3]
    if pdf is None or pdf.status != PlanPdf.Status.READY:
        raise Http404
    initiative = version.plan.initiative
    name = f"{initiative.name} - plan v{version.number}.pdf"
    return file_response(pdf.file, filename=name, attachment=True)
