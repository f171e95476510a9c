"""Writes of plans: drafting, adopting, copying and commenting on versions; asking for
and rendering their PDFs.

A service never queues a job itself: the view that asked for a PDF queues its
rendering (`render_plan_pdf`) when the service says it must.
"""

from __future__ import annotations

import datetime
import io
from decimal import Decimal
from typing import TypeVar

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _
from pypdf import PdfReader

from backbone.models import Organization, User
from backbone.stale import STALE, require_unchanged
from initiatives.models import ActionItem, Initiative
from measures.models import Indicator
from stakeholders.models import Contact, Partner

from ..models import (
    SECTION_ORDER,
    BudgetLine,
    Comment,
    EngagementActivity,
    Goal,
    Plan,
    PlanPdf,
    PlanSection,
    PlanVersion,
    SectionText,
    Strategy,
    StrategyAction,
    StrategyTarget,
    VersionFrozenError,
)
from ..models.plan import VersionPart
from ..notices import tell_adopted, tell_commented
from ..page_cache import plan_pages_bump
from ..pdf import content_hash, plan_pdf_bytes
from ..sections import data_sections
from ..selectors.plan import VersionContent, version_content

Part = TypeVar("Part", bound=VersionPart)


def _require_draft(version: PlanVersion) -> None:
    if version.was_adopted():
        raise VersionFrozenError()


def _touch(version: PlanVersion) -> None:
    """Mark the draft as changed (its PDF cache is keyed by content, this is for people)."""
    PlanVersion.objects.filter(pk=version.pk).update(updated_at=timezone.now())
    plan_pages_bump(version.organization_id)  # the update skips save()


@transaction.atomic
def plan_start(*, initiative: Initiative) -> Plan:
    """The initiative's plan, with a first empty draft holding every section."""
    plan, created = Plan.objects.get_or_create(
        initiative=initiative, defaults={"organization_id": initiative.organization_id}
    )
    if created:
        version = PlanVersion.objects.create(
            organization_id=plan.organization_id, plan=plan, number=1
        )
        PlanSection.objects.bulk_create(
            PlanSection(organization_id=plan.organization_id, version=version, key=key)
            for key in SECTION_ORDER
        )
    return plan


@transaction.atomic
def section_update(
    *, version: PlanVersion, key: str, body: str, user: User | None = None, seen: str | None = None
) -> PlanSection:
    """Save a section's text and keep it in the section's history. `seen`: the
    fingerprint of the section as the person's form opened (see `backbone.stale`); a save
    over a text someone changed meanwhile is refused, naming who."""
    _require_draft(version)
    section, _created = PlanSection.objects.get_or_create(
        version=version, key=key, defaults={"organization_id": version.organization_id}
    )
    last = section.texts.select_related("author").first()
    who = last.author.display_name if last and last.author else ""
    require_unchanged(section, ["body"], seen, who=who)
    if section.body == body:
        return section
    section.body = body
    section.full_clean()
    section.save()
    SectionText.objects.create(
        organization_id=section.organization_id, section=section, body=body, author=user
    )
    _touch(version)
    return section


def _add_to_draft(draft: PlanVersion, model: type[Part], /, **fields) -> Part:
    """Check and save a new part of a draft (of the draft's organization), and mark the
    draft changed."""
    _require_draft(draft)
    part = model(organization_id=draft.organization_id, **fields)
    part.full_clean()
    part.save()
    _touch(draft)
    return part


def _next_position(queryset) -> int:
    return (queryset.aggregate(m=Max("position"))["m"] or 0) + 1


@transaction.atomic
def goal_create(*, version: PlanVersion, title: str, description: str = "") -> Goal:
    _require_draft(version)
    goal = Goal.objects.create(
        organization_id=version.organization_id,
        version=version,
        title=title,
        description=description,
        position=_next_position(Goal.objects.filter(version=version)),
    )
    _touch(version)
    return goal


@transaction.atomic
def strategy_create(
    *,
    goal: Goal,
    title: str,
    description: str = "",
    target: str = "",
    lead_contact: Contact | None = None,
    lead_partner: Partner | None = None,
) -> Strategy:
    _require_draft(goal.version)
    for lead in (lead_contact, lead_partner):
        if lead is not None and lead.organization_id != goal.organization_id:
            raise ValidationError(_("The lead must be from this organization's registry."))
    strategy = Strategy.objects.create(
        organization_id=goal.organization_id,
        goal=goal,
        title=title,
        description=description,
        target=target,
        lead_contact=lead_contact,
        lead_partner=lead_partner,
        position=_next_position(Strategy.objects.filter(goal=goal)),
    )
    _touch(goal.version)
    return strategy


@transaction.atomic
def strategy_action_link(*, strategy: Strategy, action_item: ActionItem) -> StrategyAction:
    """Say that an action item of the joint plan of action serves this strategy."""
    return _add_to_draft(
        strategy.goal.version, StrategyAction, strategy=strategy, action_item=action_item
    )


@transaction.atomic
def strategy_target_create(
    *, strategy: Strategy, indicator: Indicator, value: Decimal, date: datetime.date | None
) -> StrategyTarget:
    """Tie a strategy to an indicator of its initiative: a value to reach by a date."""
    return _add_to_draft(
        strategy.goal.version,
        StrategyTarget,
        strategy=strategy,
        indicator=indicator,
        value=value,
        date=date,
    )


@transaction.atomic
def budget_line_create(
    *, version: PlanVersion, item: str, amount: Decimal, year: int, source: str = ""
) -> BudgetLine:
    return _add_to_draft(
        version, BudgetLine, version=version, item=item, amount=amount, year=year, source=source
    )


@transaction.atomic
def engagement_activity_create(
    *,
    version: PlanVersion,
    level: str,
    title: str,
    target: str = "",
    target_number: int | None = None,
    budget: Decimal | None = None,
    lead_contact: Contact | None = None,
    lead_partner: Partner | None = None,
) -> EngagementActivity:
    return _add_to_draft(
        version,
        EngagementActivity,
        version=version,
        level=level,
        title=title,
        target=target,
        target_number=target_number,
        budget=budget,
        lead_contact=lead_contact,
        lead_partner=lead_partner,
    )


@transaction.atomic
def content_delete(
    *,
    item: Goal | Strategy | StrategyTarget | StrategyAction | BudgetLine | EngagementActivity,
) -> None:
    """Remove a goal, strategy, target, action link, budget line or engagement activity from a draft."""
    if isinstance(item, StrategyTarget | StrategyAction):
        version = item.strategy.goal.version
    elif isinstance(item, Strategy):
        version = item.goal.version
    else:
        version = item.version
    _require_draft(version)
    item.delete()
    _touch(version)


def draft_seen(version: PlanVersion) -> str:
    """What the adopt form carries: when the draft last changed."""
    return version.updated_at.isoformat()


@transaction.atomic
def version_adopt(
    *,
    version: PlanVersion,
    adopted_on: datetime.date,
    adopted_by_body: str,
    user: User,
    seen: str | None = None,
) -> PlanVersion:
    """Adopt a draft: from now on it is frozen for good. With `seen` (`draft_seen` as the
    person's page opened), a draft changed meanwhile is not adopted unread."""
    version = PlanVersion.objects.select_for_update().get(pk=version.pk)
    _require_draft(version)
    if seen and seen != draft_seen(version):
        error = ValidationError(
            _(
                "The draft changed since you opened this page: read it again, then adopt "
                "what the body agreed to."
            ),
            code=STALE,
        )
        error.seen = draft_seen(version)
        raise error
    if version_content(version).is_empty:
        raise ValidationError(
            _("This draft is empty: write at least one section before it is adopted.")
        )
    if not adopted_by_body.strip():
        raise ValidationError(_("Say which body adopted the plan."))
    # Freeze what the data-assembled parts show today: live tables keep changing.
    version.data_snapshot = data_sections(version_content(version))
    version.status = PlanVersion.Status.ADOPTED
    version.adopted_on = adopted_on
    version.adopted_by_body = adopted_by_body.strip()
    version.adopted_by_user = user
    version.save()
    tell_adopted(version)
    return version


# What a new draft takes over from the version it copies, besides its place in the draft.
_STRATEGY_COPIES = (
    "title",
    "description",
    "target",
    "lead_contact_id",
    "lead_partner_id",
    "position",
)
_ACTIVITY_COPIES = (
    "level",
    "title",
    "target",
    "target_number",
    "budget",
    "lead_contact_id",
    "lead_partner_id",
)


def _same(part, *fields: str) -> dict:
    """The part's values of these fields, to give its copy in a new draft."""
    return {field: getattr(part, field) for field in fields}


@transaction.atomic
def draft_start(*, plan: Plan) -> PlanVersion:
    """The plan's draft; a new one starts as a copy of the newest adopted version."""
    existing = PlanVersion.objects.filter(plan=plan, status=PlanVersion.Status.DRAFT).first()
    if existing:
        return existing
    source = PlanVersion.objects.filter(plan=plan).order_by("-number").first()
    draft = PlanVersion.objects.create(
        organization_id=plan.organization_id,
        plan=plan,
        number=(source.number + 1) if source else 1,
        based_on=source,
    )
    org = plan.organization_id
    content = version_content(source) if source else None
    sections = content.sections if content else {}
    PlanSection.objects.bulk_create(
        PlanSection(
            organization_id=org,
            version=draft,
            key=key,
            body=sections[key].body if key in sections else "",
        )
        for key in SECTION_ORDER
    )
    if content is None:
        return draft
    for goal in content.goals:
        new_goal = Goal.objects.create(
            organization_id=org, version=draft, **_same(goal, "title", "description", "position")
        )
        for s in goal.strategies.all():
            new_strategy = Strategy.objects.create(
                organization_id=org, goal=new_goal, **_same(s, *_STRATEGY_COPIES)
            )
            StrategyTarget.objects.bulk_create(
                StrategyTarget(
                    organization_id=org,
                    strategy=new_strategy,
                    **_same(t, "indicator_id", "value", "date"),
                )
                for t in s.targets.all()
            )
            StrategyAction.objects.bulk_create(
                StrategyAction(
                    organization_id=org, strategy=new_strategy, action_item_id=a.action_item_id
                )
                for a in s.actions.all()
            )
    BudgetLine.objects.bulk_create(
        BudgetLine(
            organization_id=org, version=draft, **_same(b, "item", "amount", "year", "source")
        )
        for b in content.budget_lines
    )
    EngagementActivity.objects.bulk_create(
        EngagementActivity(organization_id=org, version=draft, **_same(a, *_ACTIVITY_COPIES))
        for a in content.engagement_activities
    )
    return draft


@transaction.atomic
def comment_add(*, version: PlanVersion, section_key: str, author: User, body: str) -> Comment:
    if version.was_adopted():
        raise ValidationError(_("Comments are taken on drafts; this version is already adopted."))
    if section_key not in SECTION_ORDER:
        raise ValidationError(_("Choose a section of the plan."))
    if not body.strip():
        raise ValidationError(_("Write a comment first."))
    comment = Comment.objects.create(
        organization_id=version.organization_id,
        version=version,
        section_key=section_key,
        author=author,
        body=body.strip(),
    )
    tell_commented(comment)
    return comment


@transaction.atomic
def pdf_request(*, version: PlanVersion) -> tuple[PlanPdf, bool]:
    """The PDF of the version's current content, and whether its rendering must be queued
    now (it isn't made yet, or it failed): then the caller queues `render_plan_pdf`.

    A draft that changed gets a new content hash, hence a new PDF; an unchanged
    draft and an adopted version reuse the one already made.
    """
    pdf, created = PlanPdf.objects.get_or_create(
        version=version,
        content_hash=content_hash(version_content(version)),
        defaults={"organization_id": version.organization_id},
    )
    if not created and pdf.status == PlanPdf.Status.FAILED:
        pdf.status = PlanPdf.Status.PENDING
        pdf.error = ""
        pdf.save(update_fields=["status", "error"])
        created = True
    return pdf, created


def pdf_current(version: PlanVersion, content: VersionContent | None = None) -> PlanPdf | None:
    """The PDF made (or being made) from the version's content as it is now, if any."""
    key = content_hash(content or version_content(version))
    return PlanPdf.objects.filter(version=version, content_hash=key).first()


def plan_pdf_render(*, organization: Organization, pdf_id: int) -> str:
    """Render one PlanPdf row; a row already made is left alone (safe to run twice)."""
    pdf = PlanPdf.objects.select_related("version__plan__initiative", "version__organization").get(
        pk=pdf_id, organization=organization
    )
    if pdf.status == PlanPdf.Status.READY:
        return "already rendered"
    PlanPdf.objects.filter(pk=pdf.pk).update(status=PlanPdf.Status.RENDERING)
    plan_pages_bump(pdf.organization_id)  # the updates skip save()
    try:
        data = plan_pdf_bytes(version_content(pdf.version))
    except Exception as exc:
        PlanPdf.objects.filter(pk=pdf.pk).update(
            status=PlanPdf.Status.FAILED, error=str(exc)[:2000], finished_at=timezone.now()
        )
        plan_pages_bump(pdf.organization_id)
        raise
    initiative = pdf.version.plan.initiative
    name = f"plan-{initiative.pk}-v{pdf.version.number}-{pdf.content_hash[:12]}.pdf"
    pdf.file.save(name, ContentFile(data), save=False)
    pdf.pages = len(PdfReader(io.BytesIO(data)).pages)
    pdf.status = PlanPdf.Status.READY
    pdf.finished_at = timezone.now()
    pdf.save(update_fields=["file", "pages", "status", "finished_at"])
    # A draft keeps only the PDF of its latest content; older ones are stale.
    if not pdf.version.is_adopted:
        for stale in PlanPdf.objects.filter(version=pdf.version).exclude(pk=pdf.pk):
            if stale.file:
                stale.file.delete(save=False)
            stale.delete()
    return f"{pdf.pages} pages"
