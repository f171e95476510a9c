"""Reads: which plans and versions a member may see, and a version's whole content."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Prefetch, QuerySet

from backbone.models import Membership, Role
from initiatives.models import Initiative
from initiatives.selectors import initiatives_visible_to

from ..models import (
    PLANNED_ENGAGEMENT_LEVELS,
    BudgetLine,
    Comment,
    EngagementActivity,
    Goal,
    PlanSection,
    PlanVersion,
    Strategy,
    StrategyAction,
    StrategyTarget,
)


def versions_visible_to(membership: Membership) -> QuerySet[PlanVersion]:
    """Versions of plans of initiatives the member sees; partners see adopted ones only."""
    queryset = PlanVersion.objects.filter(
        organization_id=membership.organization_id,
        plan__initiative__in=initiatives_visible_to(membership, include_archived=True),
    )
    if membership.role == Role.PARTNER:
        queryset = queryset.filter(status=PlanVersion.Status.ADOPTED)
    return queryset.select_related("plan__initiative", "organization")


def plan_versions(initiative: Initiative, membership: Membership) -> list[PlanVersion]:
    return list(
        versions_visible_to(membership)
        .filter(plan__initiative=initiative)
        .select_related("adopted_by_user")
        .order_by("-number")
    )


def current_version(versions: list[PlanVersion]) -> PlanVersion | None:
    """The version a reader starts from: the draft if they may see it, else the newest adopted."""
    drafts = [v for v in versions if not v.is_adopted]
    if drafts:
        return drafts[0]
    return versions[0] if versions else None


@dataclass
class VersionContent:
    version: PlanVersion
    sections: dict[str, PlanSection]
    goals: list[Goal]
    budget_lines: list[BudgetLine]
    engagement_activities: list[EngagementActivity]
    comments: dict[str, list[Comment]] = field(default_factory=dict)
    # Filled on first use by plans.sections (live data, drafts only).
    live_data: Any = None
    data_html: dict[str, str] | None = None

    @property
    def initiative(self) -> Initiative:
        return self.version.plan.initiative

    @property
    def budget_total(self) -> Decimal:
        return sum((line.amount for line in self.budget_lines), Decimal("0"))

    @property
    def budget_by_year(self) -> list[tuple[int, Decimal]]:
        totals: dict[int, Decimal] = defaultdict(Decimal)
        for line in self.budget_lines:
            totals[line.year] += line.amount
        return sorted(totals.items())

    @property
    def engagement_by_level(self) -> list[tuple[str, list[EngagementActivity]]]:
        return [
            (label, [a for a in self.engagement_activities if a.level == level])
            for level, label in PLANNED_ENGAGEMENT_LEVELS
            if any(a.level == level for a in self.engagement_activities)
        ]

    @property
    def is_empty(self) -> bool:
        return (
            not any(s.body.strip() for s in self.sections.values())
            and not self.goals
            and not self.budget_lines
            and not self.engagement_activities
        )


def version_content(version: PlanVersion, *, with_comments: bool = False) -> VersionContent:
    """All of a version in a fixed number of queries, whatever its size."""
    sections = {s.key: s for s in PlanSection.objects.filter(version=version)}
    goals = list(
        Goal.objects.filter(version=version).prefetch_related(
            Prefetch(
                "strategies",
                queryset=Strategy.objects.select_related(
                    "lead_contact", "lead_partner"
                ).prefetch_related(
                    Prefetch(
                        "targets", queryset=StrategyTarget.objects.select_related("indicator")
                    ),
                    Prefetch(
                        "actions",
                        queryset=StrategyAction.objects.select_related("action_item__lead"),
                    ),
                ),
            )
        )
    )
    budget = list(BudgetLine.objects.filter(version=version))
    engagement = list(
        EngagementActivity.objects.filter(version=version).select_related(
            "lead_contact", "lead_partner"
        )
    )
    comments: dict[str, list[Comment]] = defaultdict(list)
    if with_comments:
        for comment in Comment.objects.filter(version=version).select_related("author"):
            comments[comment.section_key].append(comment)
    return VersionContent(
        version=version,
        sections=sections,
        goals=goals,
        budget_lines=budget,
        engagement_activities=engagement,
        comments=dict(comments),
    )
