from decimal import Decimal

import factory

from measures.models import DataPoint, DataRequest, Indicator, Target

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
