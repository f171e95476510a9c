import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django_scopes import scope

from stakeholders.models import ConsentSource, ConsentStatus, Contact, Interaction
from stakeholders.services import consent_record, consent_unsubscribe, contact_merge

from .factories import ContactFactory, InteractionFactory, PartnerFactory, TagFactory


def test_merging_keeps_everything_of_both_contacts(world):
    partner = PartnerFactory(organization=world.org)
    kept = ContactFactory(
        organization=world.org,
        first_name="Aisha",
        last_name="Chen",
        email="",
        phone="",
        notes="Keen on data.",
    )
    absorbed = ContactFactory(
        organization=world.org,
        first_name="A.",
        last_name="Chen",
        email="aisha@example.org",
        phone="613-555-0100",
        partner=partner,
        lived_experience=True,
        notes="Met at the library.",
    )
    speaker, youth = (
        TagFactory(organization=world.org, name="speaker"),
        TagFactory(organization=world.org, name="youth"),
    )
    with scope(organization=world.org):
        kept.tags.add(speaker)
        absorbed.tags.add(speaker, youth)
        InteractionFactory(contact=kept, summary="Note on kept")
        InteractionFactory(contact=absorbed, summary="Note on absorbed")
        consent_record(contact=absorbed, given=True, source=ConsentSource.FORM)
        contact_merge(kept=kept, absorbed=absorbed, merged_by=world.coordinator)

        kept.refresh_from_db()
        assert not Contact.objects.filter(pk=absorbed.pk).exists()
        assert kept.email == "aisha@example.org" and kept.phone == "613-555-0100"
        assert kept.partner == partner and kept.lived_experience
        assert "Keen on data." in kept.notes and "Met at the library." in kept.notes
        assert {t.name for t in kept.tags.all()} == {"speaker", "youth"}
        summaries = set(Interaction.objects.filter(contact=kept).values_list("summary", flat=True))
        assert {"Note on kept", "Note on absorbed"} <= summaries
        assert any("Merged with the record of A. Chen" in s for s in summaries)
        assert kept.consent == ConsentStatus.GIVEN
        assert kept.consent_records.count() == 1


def test_the_latest_consent_of_either_wins(world):
    kept = ContactFactory(organization=world.org)
    absorbed = ContactFactory(organization=world.org)
    with scope(organization=world.org):
        consent_record(contact=kept, given=True, source=ConsentSource.FORM)
        consent_unsubscribe(contact=absorbed)
        contact_merge(kept=kept, absorbed=absorbed)
    kept.refresh_from_db()
    assert kept.consent == ConsentStatus.WITHDRAWN


def test_a_contact_cannot_be_merged_with_itself_or_another_organizations(world):
    contact = ContactFactory(organization=world.org)
    foreign = ContactFactory(organization=world.other_org)
    with scope(organization=world.org):
        with pytest.raises(ValidationError):
            contact_merge(kept=contact, absorbed=contact)
        with pytest.raises(ValidationError):
            contact_merge(kept=contact, absorbed=foreign)


def test_the_merge_form_offers_only_this_organizations_contacts(world, login):
    kept = ContactFactory(organization=world.org)
    foreign = ContactFactory(organization=world.other_org)
    url = reverse(
        "stakeholders:contact_merge", kwargs={"org_slug": "riverside", "contact_id": kept.pk}
    )
    response = login(world.coordinator).post(url, {"other": foreign.pk})
    assert response.status_code == 422
    with scope(organization=world.other_org):
        assert Contact.objects.filter(pk=foreign.pk).exists()


def test_a_coordinator_merges_from_the_contact_page(world, login):
    kept = ContactFactory(organization=world.org)
    absorbed = ContactFactory(organization=world.org, first_name="Duplicate")
    url = reverse(
        "stakeholders:contact_merge", kwargs={"org_slug": "riverside", "contact_id": kept.pk}
    )
    response = login(world.coordinator).post(url, {"other": absorbed.pk}, follow=True)
    assert "Duplicate" in response.text and "was merged into this contact" in response.text
    with scope(organization=world.org):
        assert list(Contact.objects.all()) == [kept]


def test_values_that_differ_are_kept_in_the_notes(world):
    library, school = (
        PartnerFactory(organization=world.org, name="Library"),
        PartnerFactory(organization=world.org, name="School Board"),
    )
    kept = ContactFactory(
        organization=world.org,
        first_name="Ben",
        email="ben@work.org",
        phone="613-555-0001",
        partner=library,
    )
    absorbed = ContactFactory(
        organization=world.org,
        first_name="Benjamin",
        email="ben@home.org",
        phone="613-555-0002",
        partner=school,
    )
    with scope(organization=world.org):
        contact_merge(kept=kept, absorbed=absorbed)
    kept.refresh_from_db()
    assert (kept.email, kept.phone, kept.partner) == ("ben@work.org", "613-555-0001", library)
    for value in ("Benjamin", "ben@home.org", "613-555-0002", "School Board"):
        assert value in kept.notes


def test_a_merge_forgets_every_page_kept_for_the_organization(world):
    """The merge moves rows with update() (no post_save): every kind of kept page is
    forgotten, whether or not it listens to contacts."""
    from backbone.stamped_cache import _STAMPS

    kept = ContactFactory(organization=world.org)
    absorbed = ContactFactory(organization=world.org)
    made = []
    for stamp in _STAMPS:
        stamp.get_or_make(world.org.pk, "probe", lambda: made.append(1))
    made.clear()
    with scope(organization=world.org):
        contact_merge(kept=kept, absorbed=absorbed)
    for stamp in _STAMPS:
        stamp.get_or_make(world.org.pk, "probe", lambda name=stamp.name: made.append(name))
    assert sorted(made) == sorted(stamp.name for stamp in _STAMPS)
