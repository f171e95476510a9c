from django.core.management import call_command
from django_scopes import scopes_disabled

from backbone.models import Membership
from stakeholders.models import (
    ConsentRecord,
    Contact,
    Interaction,
    Partner,
    PartnerMembership,
    Sector,
)


def registry_counts():
    return tuple(
        model.objects.count()
        for model in (Contact, Partner, ConsentRecord, Interaction, PartnerMembership)
    )


def test_the_demo_registry_spans_every_sector_and_a_second_run_duplicates_nothing(db):
    call_command("seed_demo")
    with scopes_disabled():
        first = registry_counts()
        riverside = Contact.objects.filter(organization__slug="riverside")
        assert 55 <= riverside.count() <= 80
        assert set(riverside.values_list("sector", flat=True)) == set(Sector.values)
        assert riverside.filter(lived_experience=True).count() >= 5
        assert riverside.filter(consent="given").exists()
        assert 12 <= Partner.objects.filter(organization__slug="riverside").count() <= 22
        assert Contact.objects.filter(organization__slug="northbay").count() >= 3
        link = PartnerMembership.objects.get(
            membership=Membership.objects.get(user__email="partner@riverside.example")
        )
        assert link.partner.name == "Riverside Community Food Bank"
    call_command("seed_demo")
    with scopes_disabled():
        assert registry_counts() == first
