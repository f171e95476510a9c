import datetime
from decimal import Decimal

import factory
from django.utils import timezone
from django_scopes import scope, scopes_disabled

from backbone.models import User
from backbone.tasks import enqueue
from initiatives.models import EngagementLevel
from measures.models import Indicator
from plans import tasks
from plans.models import (
    BackboneFunction,
    BudgetLine,
    Comment,
    Delivery,
    EngagementActivity,
    Goal,
    Newsletter,
    NewsletterItem,
    Plan,
    PlanPdf,
    PlanVersion,
    ReportCard,
    Review,
    ReviewAnswer,
    ReviewRespondent,
    Strategy,
    StrategyTarget,
)
from plans.services import plan as services
from stakeholders.models import ConsentStatus

from ..factories import OrganizationFactory, ScopeFreeFactory, UserFactory
from ..initiatives.factories import InitiativeFactory
from ..measures.factories import DataPointFactory, IndicatorFactory
from ..stakeholders.factories import ContactFactory


def started_plan(initiative=None, **initiative_kwargs) -> Plan:
    """A plan with its first empty draft (all sections), the way the app starts one."""
    initiative = initiative or InitiativeFactory(**initiative_kwargs)
    with scopes_disabled():
        return services.plan_start(initiative=initiative)


def request_pdf(version: PlanVersion) -> PlanPdf:
    """Ask for the version's PDF as the PDF panel does: the service, then the rendering
    job when the service says so (it runs when the transaction commits)."""
    pdf, queued = services.pdf_request(version=version)
    if queued:
        enqueue(tasks.render_plan_pdf, organization_id=version.organization_id, pdf_id=pdf.pk)
    return pdf


def adopt(version: PlanVersion, user: User, on: datetime.date) -> PlanVersion:
    """Adopt the draft in the leadership roundtable's name, as the adoption form does."""
    with scope(organization=version.organization):
        return services.version_adopt(
            version=version, adopted_on=on, adopted_by_body="Leadership roundtable", user=user
        )


def falling_indicator(
    initiative, name: str, *, frequency: str, baseline: str, approved: dict[str, str]
) -> Indicator:
    """An indicator that should go down, from a baseline, with approved values (period: value)."""
    indicator = IndicatorFactory(
        initiative=initiative,
        name=name,
        frequency=frequency,
        direction="down",
        baseline_value=Decimal(baseline),
    )
    for period, value in approved.items():
        DataPointFactory(
            indicator=indicator, period=period, value=Decimal(value), status="approved"
        )
    return indicator


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
    # Years a report card accepts (1900–2200), however many the suite makes.
    period = factory.Sequence(lambda n: str(2000 + n % 200))
    narrative = "We moved **together**."


# Backbone effectiveness reviews.


class ReviewFactory(ScopeFreeFactory):
    class Meta:
        model = Review

    organization = factory.SubFactory(OrganizationFactory)
    year = 2026
    # Open for a month from the organization's today (the clock fixture's).
    closes_on = factory.LazyAttribute(
        lambda review: (
            timezone.localdate(timezone=review.organization.tzinfo) + datetime.timedelta(days=30)
        )
    )
    asked_by = "Maya Chen, Executive Director"
    message = "We want to know how well we serve the partners."


class ReviewRespondentFactory(ScopeFreeFactory):
    class Meta:
        model = ReviewRespondent

    review = factory.SubFactory(ReviewFactory)
    organization = factory.SelfAttribute("review.organization")
    name = factory.Sequence(lambda n: f"Respondent {n}")
    email = factory.Sequence(lambda n: f"respondent{n}@example.org")
    sent_at = factory.LazyFunction(timezone.now)


def ratings(*values) -> dict:
    """Ratings of the six functions in their order (None: don't know)."""
    return dict(zip(BackboneFunction.values, values, strict=False))


class ReviewAnswerFactory(ScopeFreeFactory):
    class Meta:
        model = ReviewAnswer

    review = factory.SubFactory(ReviewFactory)
    organization = factory.SelfAttribute("review.organization")
    ratings = factory.LazyFunction(lambda: ratings(4, 4, 3, 3, 2, 5))


# Newsletters.


class ConsentingContactFactory(ContactFactory):
    consent = ConsentStatus.GIVEN
    consent_changed_at = factory.LazyFunction(timezone.now)


class NewsletterFactory(ScopeFreeFactory):
    class Meta:
        model = Newsletter

    organization = factory.SubFactory(OrganizationFactory)
    subject = factory.Sequence(lambda n: f"Riverside this week #{n}")
    introduction = "Thank you to everyone who came to the community conversation."
    week_of = datetime.date(2027, 3, 1)
    covers_from = factory.LazyFunction(lambda: timezone.now() - datetime.timedelta(days=7))
    covers_until = factory.LazyFunction(timezone.now)


class NewsletterItemFactory(ScopeFreeFactory):
    class Meta:
        model = NewsletterItem

    newsletter = factory.SubFactory(NewsletterFactory)
    organization = factory.SelfAttribute("newsletter.organization")
    kind = NewsletterItem.Kind.STORY
    title = "Maria's story: from the food bank line to the steering committee"
    body = "Maria joined the **listening team** last spring."
    url = "https://riverside.example/stories/maria"
    position = factory.Sequence(lambda n: n)


class DeliveryFactory(ScopeFreeFactory):
    class Meta:
        model = Delivery

    newsletter = factory.SubFactory(NewsletterFactory)
    organization = factory.SelfAttribute("newsletter.organization")
    contact = factory.SubFactory(
        ConsentingContactFactory, organization=factory.SelfAttribute("..organization")
    )
    email = factory.SelfAttribute("contact.email")
