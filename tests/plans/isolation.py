"""How the isolation test makes this app's objects (see tests/test_isolation.py)."""

from django_scopes import scopes_disabled

from ..initiatives.factories import InitiativeFactory
from .factories import (
    BudgetLineFactory,
    EngagementActivityFactory,
    GoalFactory,
    NewsletterFactory,
    NewsletterItemFactory,
    ReportCardFactory,
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
    "newsletter_id": lambda org: NewsletterFactory(organization=org).pk,
    "report_id": lambda org: _handover_report(org),
    "item_id": lambda org: NewsletterItemFactory(newsletter=NewsletterFactory(organization=org)).pk,
}
