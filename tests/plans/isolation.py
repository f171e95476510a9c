"""How the isolation test makes this app's objects (see tests/test_isolation.py)."""

import datetime
from decimal import Decimal

from django.urls import reverse
from django.utils import timezone
from django_scopes import scopes_disabled

from plans.services.scorecard import scorecard_of, scorecard_publish

from ..initiatives.factories import (
    EngagementEventFactory,
    InitiativeFactory,
    InitiativePartnerFactory,
    StoryFactory,
)
from ..measures.factories import DataPointFactory, IndicatorFactory, TargetFactory
from .factories import (
    BudgetLineFactory,
    EngagementActivityFactory,
    GoalFactory,
    NewsletterFactory,
    NewsletterItemFactory,
    ReportCardFactory,
    ReviewFactory,
    StrategyFactory,
    StrategyTargetFactory,
    draft_of,
    started_plan,
)


def _version(org):
    return draft_of(started_plan(InitiativeFactory(organization=org)))


def _strategy_action(org):
    from plans.models import StrategyAction

    from ..initiatives.factories import ActionItemFactory

    strategy = StrategyFactory(goal=GoalFactory(version=_version(org)))
    initiative = strategy.goal.version.plan.initiative
    with scopes_disabled():
        return StrategyAction.objects.create(
            organization=org,
            strategy=strategy,
            action_item=ActionItemFactory(initiative=initiative),
        )


def _handover_report(org) -> int:
    from plans.models import HandoverReport

    initiative = InitiativeFactory(organization=org)
    with scopes_disabled():
        return HandoverReport.objects.create(organization=org, initiative=initiative).pk


OBJECT_MAKERS = {
    "version_id": lambda org: _version(org).pk,
    "section_key": lambda org: "executive_summary",
    "goal_id": lambda org: GoalFactory(version=_version(org)).pk,
    "strategy_id": lambda org: StrategyFactory(goal=GoalFactory(version=_version(org))).pk,
    "budget_line_id": lambda org: BudgetLineFactory(version=_version(org)).pk,
    "activity_id": lambda org: EngagementActivityFactory(version=_version(org)).pk,
    "target_id": lambda org: (
        StrategyTargetFactory(strategy=StrategyFactory(goal=GoalFactory(version=_version(org)))).pk
    ),
    "report_card_id": lambda org: (
        ReportCardFactory(initiative=InitiativeFactory(organization=org)).pk
    ),
    "strategy_action_id": lambda org: _strategy_action(org).pk,
    "review_id": lambda org: ReviewFactory(organization=org).pk,
    "newsletter_id": lambda org: NewsletterFactory(organization=org).pk,
    "report_id": lambda org: _handover_report(org),
    "item_id": lambda org: NewsletterItemFactory(newsletter=NewsletterFactory(organization=org)).pk,
}


def public_scorecard_pages(org) -> list[tuple[str, str]]:
    """(page kind, URL) of the pages anyone reads without an account: a published
    scorecard of `org` with a charted indicator, a public event, a story and a partner
    listed, and its embeddable chart (for the standards walks)."""
    initiative = InitiativeFactory(organization=org, name="Public scorecard initiative")
    indicator = IndicatorFactory(initiative=initiative, level="population", baseline_value=50)
    TargetFactory(indicator=indicator, value=Decimal(70), date=datetime.date(2030, 1, 1))
    for period, value in (("2026-Q1", 55), ("2026-Q2", 58)):
        DataPointFactory(indicator=indicator, period=period, value=value, status="approved")
    EngagementEventFactory(
        initiative=initiative, public=True, starts_at=timezone.now() + datetime.timedelta(days=3)
    )
    StoryFactory(initiative=initiative, published=True, published_at=timezone.now())
    InitiativePartnerFactory(initiative=initiative, listed_publicly=True)
    with scopes_disabled():
        card = scorecard_publish(scorecard=scorecard_of(initiative=initiative))
    return [
        ("scorecard_public", reverse("scorecard_public", kwargs={"slug": card.slug})),
        (
            "scorecard_chart",
            reverse("scorecard_chart", kwargs={"slug": card.slug, "indicator_id": indicator.pk}),
        ),
    ]
