import datetime
from decimal import Decimal

import factory
from django_scopes import scopes_disabled

from measures.models import (
    Agreement,
    AgreementKind,
    AgreementStatus,
    DataPoint,
    DataRequest,
    Indicator,
    IndicatorReview,
    SharingPermission,
    Target,
)

from ..factories import ScopeFreeFactory
from ..initiatives.factories import InitiativeFactory
from ..stakeholders.factories import PartnerFactory


class IndicatorFactory(ScopeFreeFactory):
    class Meta:
        model = Indicator

    initiative = factory.SubFactory(InitiativeFactory)
    organization = factory.SelfAttribute("initiative.organization")
    name = factory.Sequence(lambda n: f"Households below the low-income measure {n}")
    definition = "Households whose after-tax income is below half the median, adjusted for size."
    unit = "number"
    frequency = "quarterly"


class TargetFactory(ScopeFreeFactory):
    class Meta:
        model = Target

    indicator = factory.SubFactory(IndicatorFactory)
    organization = factory.SelfAttribute("indicator.organization")
    value = Decimal("100")
    date = factory.Faker("date_object")


class DataRequestFactory(ScopeFreeFactory):
    class Meta:
        model = DataRequest

    indicator = factory.SubFactory(IndicatorFactory)
    organization = factory.SelfAttribute("indicator.organization")
    partner = factory.SubFactory(
        PartnerFactory, organization=factory.SelfAttribute("..organization")
    )


class DataPointFactory(ScopeFreeFactory):
    class Meta:
        model = DataPoint

    indicator = factory.SubFactory(IndicatorFactory)
    organization = factory.SelfAttribute("indicator.organization")
    partner = factory.SubFactory(
        PartnerFactory, organization=factory.SelfAttribute("..organization")
    )
    period = "2027-Q1"
    value = Decimal("10")
    status = DataPoint.Status.SUBMITTED


class AgreementFactory(ScopeFreeFactory):
    class Meta:
        model = Agreement
        skip_postgeneration_save = True

    initiative = factory.SubFactory(InitiativeFactory)
    organization = factory.SelfAttribute("initiative.organization")
    kind = AgreementKind.DATA_SHARING
    title = factory.Sequence(lambda n: f"Data-sharing agreement {n}")
    status = AgreementStatus.SIGNED
    signed_on = datetime.date(2020, 1, 1)
    expires_on = None
    permission = SharingPermission.PER_PARTNER

    @factory.post_generation
    def parties(self, create, extracted, **kwargs):
        if create and extracted:
            with scopes_disabled():
                self.parties.set(extracted)

    @factory.post_generation
    def indicators(self, create, extracted, **kwargs):
        if create and extracted:
            with scopes_disabled():
                self.indicators.set(extracted)


class IndicatorReviewFactory(ScopeFreeFactory):
    class Meta:
        model = IndicatorReview

    initiative = factory.SubFactory(InitiativeFactory)
    organization = factory.SelfAttribute("initiative.organization")
    year = 2027


def two_reporting_partners(initiative, *, period: str, status: str, sharing: bool = False):
    """An indicator summed over two partners' values of `period` (1,234 from the food bank,
    5,678 from the housing co-op), with — when `sharing` — a signed agreement allowing the
    food bank's values to be published per partner. Returns (indicator, points, partners)."""
    indicator = IndicatorFactory(initiative=initiative, name="Families housed", aggregation="sum")
    partners = [
        PartnerFactory(organization=initiative.organization, name=name)
        for name in ("Riverside Food Bank", "Riverside Housing Co-op")
    ]
    if sharing:
        AgreementFactory(initiative=initiative, parties=partners[:1], indicators=[indicator])
    points = [
        DataPointFactory(
            indicator=indicator, partner=partner, period=period, value=Decimal(value), status=status
        )
        for partner, value in zip(partners, ("1234", "5678"), strict=True)
    ]
    return indicator, points, partners
