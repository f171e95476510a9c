import datetime

import factory

from initiatives.models import Initiative, InitiativePartner

from ..factories import OrganizationFactory, ScopeFreeFactory
from ..stakeholders.factories import PartnerFactory


class InitiativeFactory(ScopeFreeFactory):
    class Meta:
        model = Initiative

    organization = factory.SubFactory(OrganizationFactory)
    name = factory.Sequence(lambda n: f"Poverty Reduction Roundtable {2027 + n}")
    issue = "Reduce poverty in the region"
    start_date = datetime.date(2027, 1, 15)


class InitiativePartnerFactory(ScopeFreeFactory):
    class Meta:
        model = InitiativePartner

    initiative = factory.SubFactory(InitiativeFactory)
    organization = factory.SelfAttribute("initiative.organization")
    partner = factory.SubFactory(
        PartnerFactory, organization=factory.SelfAttribute("..organization")
    )
