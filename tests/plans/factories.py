import datetime

import factory
from django_scopes import scopes_disabled

from plans import services
from plans.models import (
    BudgetLine,
    Comment,
    EngagementActivity,
    EngagementLevel,
    Goal,
    Plan,
    PlanVersion,
    ReportCard,
    Strategy,
    StrategyTarget,
)

from ..factories import ScopeFreeFactory, UserFactory
from ..initiatives.factories import InitiativeFactory
from ..measures.factories import IndicatorFactory


def started_plan(initiative=None, **initiative_kwargs) -> Plan:
    """A plan with its first empty draft (all sections), the way the app starts one."""
    initiative = initiative or InitiativeFactory(**initiative_kwargs)
    with scopes_disabled():
        return services.plan_start(initiative=initiative)


def draft_of(plan: Plan) -> PlanVersion:
    with scopes_disabled():
        return PlanVersion.objects.get(plan=plan, status=PlanVersion.Status.DRAFT)


class GoalFactory(ScopeFreeFactory):
    class Meta:
        model = Goal

    version = factory.LazyFunction(lambda: draft_of(started_plan()))
    organization = factory.SelfAttribute("version.organization")
    title = factory.Sequence(lambda n: f"Goal {n}: fewer families living below the poverty line")
    position = factory.Sequence(int)


class StrategyFactory(ScopeFreeFactory):
    class Meta:
        model = Strategy

    goal = factory.SubFactory(GoalFactory)
    organization = factory.SelfAttribute("goal.organization")
    title = factory.Sequence(lambda n: f"Strategy {n}: living wage employers")
    target = "50 employers certified"
    position = factory.Sequence(int)


class BudgetLineFactory(ScopeFreeFactory):
    class Meta:
        model = BudgetLine

    version = factory.LazyFunction(lambda: draft_of(started_plan()))
    organization = factory.SelfAttribute("version.organization")
    item = factory.Sequence(lambda n: f"Backbone staff {n}")
    amount = "85000.00"
    year = 2027
    source = "United Way"


class EngagementActivityFactory(ScopeFreeFactory):
    class Meta:
        model = EngagementActivity

    version = factory.LazyFunction(lambda: draft_of(started_plan()))
    organization = factory.SelfAttribute("version.organization")
    level = EngagementLevel.CONSULT
    title = factory.Sequence(lambda n: f"Community conversation {n}")
    target = "residents at community conversations"
    target_number = 300


class CommentFactory(ScopeFreeFactory):
    class Meta:
        model = Comment

    version = factory.LazyFunction(lambda: draft_of(started_plan()))
    organization = factory.SelfAttribute("version.organization")
    section_key = "executive_summary"
    author = factory.SubFactory(UserFactory)
    body = "Could we name the neighbourhoods?"


class StrategyTargetFactory(ScopeFreeFactory):
    class Meta:
        model = StrategyTarget

    strategy = factory.SubFactory(StrategyFactory)
    organization = factory.SelfAttribute("strategy.organization")
    indicator = factory.LazyAttribute(
        lambda o: IndicatorFactory(initiative=o.strategy.goal.version.plan.initiative)
    )
    value = "12000"
    date = datetime.date(2028, 12, 31)


class ReportCardFactory(ScopeFreeFactory):
    class Meta:
        model = ReportCard

    initiative = factory.SubFactory(InitiativeFactory)
    organization = factory.SelfAttribute("initiative.organization")
    period = factory.Sequence(lambda n: str(2000 + n))
    narrative = "We moved **together**."
