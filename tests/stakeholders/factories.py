import factory

from stakeholders.models import Contact, Partner, PartnerMembership, Sector

from ..factories import MembershipFactory, OrganizationFactory, ScopeFreeFactory


class PartnerFactory(ScopeFreeFactory):
    class Meta:
        model = Partner

    organization = factory.SubFactory(OrganizationFactory)
    name = factory.Sequence(lambda n: f"Partner organization {n}")
    sector = Sector.NON_PROFIT


class ContactFactory(ScopeFreeFactory):
    class Meta:
        model = Contact

    organization = factory.SubFactory(OrganizationFactory)
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    email = factory.Sequence(lambda n: f"contact{n}@example.org")
    sector = Sector.COMMUNITY


class PartnerMembershipFactory(ScopeFreeFactory):
    class Meta:
        model = PartnerMembership

    membership = factory.SubFactory(MembershipFactory, role="partner")
    organization = factory.SelfAttribute("membership.organization")
    partner = factory.SubFactory(
        PartnerFactory, organization=factory.SelfAttribute("..organization")
    )
