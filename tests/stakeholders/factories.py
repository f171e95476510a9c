import factory
from django.utils import timezone

from stakeholders.models import (
    CapacityAssessment,
    Contact,
    ImportBatch,
    ImportKind,
    Interaction,
    InteractionKind,
    Partner,
    PartnerMembership,
    Sector,
    Tag,
)

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


class TagFactory(ScopeFreeFactory):
    class Meta:
        model = Tag

    organization = factory.SubFactory(OrganizationFactory)
    name = factory.Sequence(lambda n: f"tag {n}")


class InteractionFactory(ScopeFreeFactory):
    class Meta:
        model = Interaction

    contact = factory.SubFactory(ContactFactory)
    organization = factory.SelfAttribute("contact.organization")
    kind = InteractionKind.NOTE
    summary = "Met at the community conversation."
    occurred_at = factory.LazyFunction(timezone.now)


class ImportBatchFactory(ScopeFreeFactory):
    class Meta:
        model = ImportBatch

    organization = factory.SubFactory(OrganizationFactory)
    kind = ImportKind.PARTNERS
    filename = "partners.csv"
    rows = factory.LazyFunction(
        lambda: [
            {
                "line": 2,
                "outcome": "new",
                "values": {"name": "Stranger Org", "sector": "other", "website": "", "notes": ""},
                "parsed": {"name": "Stranger Org", "sector": "other", "website": "", "notes": ""},
                "errors": [],
                "changes": [],
            }
        ]
    )


class CapacityAssessmentFactory(ScopeFreeFactory):
    class Meta:
        model = CapacityAssessment

    organization = factory.SubFactory(OrganizationFactory)
    partner = factory.SubFactory(
        PartnerFactory, organization=factory.SelfAttribute("..organization")
    )
    year = 2026
    data_capacity = 3
    staff_time = 3
    technology = 3
    consent_practices = 3
    leadership = 3
    answered_by_name = "Someone"
    answered_at = factory.LazyFunction(timezone.now)
