"""The API's contacts: staff only; created and changed through the contact form's services
(one address per contact, a partner of this organization, no save over a change made
meanwhile); consent recorded with the same rules as on the contact's page."""

import pytest
from django_scopes import scopes_disabled

from stakeholders.models import ConsentRecord, Contact
from tests.api import api_as

from .factories import ContactFactory, PartnerFactory, TagFactory

pytestmark = pytest.mark.django_db


def _contact(pk):
    with scopes_disabled():
        return Contact.objects.get(pk=pk)


def test_staff_create_a_contact_with_tags_and_a_partner(world):
    food_bank = PartnerFactory(organization=world.org)
    api = api_as(world.coordinator, world.org)
    answer = api.post(
        "/api/v1/contacts/",
        {
            "first_name": "Amara",
            "last_name": "Okafor",
            "email": "Amara@Example.org",
            "sector": "community",
            "partner": food_bank.pk,
            "tags": ["speaker", "early years"],
        },
    )
    assert answer.status_code == 201, answer.json()
    row = answer.json()
    assert (row["email"], row["partner"], row["consent"]) == (
        "amara@example.org",
        food_bank.pk,
        "none",
    )
    assert sorted(row["tags"]) == ["early years", "speaker"]


def test_a_second_contact_with_the_same_address_is_refused(world):
    ContactFactory(organization=world.org, email="amara@example.org")
    api = api_as(world.admin, world.org)
    answer = api.post(
        "/api/v1/contacts/",
        {"first_name": "A", "email": "AMARA@example.org", "sector": "community"},
    )
    assert answer.status_code == 400
    assert answer.json()["error"]["fields"]["email"]
    with scopes_disabled():
        assert Contact.objects.count() == 1


def test_a_partner_of_another_organization_is_refused(world):
    elsewhere = PartnerFactory(organization=world.other_org)
    answer = api_as(world.admin, world.org).post(
        "/api/v1/contacts/", {"first_name": "A", "sector": "community", "partner": elsewhere.pk}
    )
    assert answer.status_code == 400
    assert answer.json()["error"]["fields"]["partner"]


def test_a_change_needs_the_version_read_and_a_stale_one_is_a_409(world):
    contact = ContactFactory(organization=world.org, phone="", first_name="Lee")
    TagFactory(organization=world.org, name="speaker").contacts.add(contact)
    api = api_as(world.coordinator, world.org)
    read = api.get(f"/api/v1/contacts/{contact.pk}/").json()
    changed = api.patch(
        f"/api/v1/contacts/{contact.pk}/", {"phone": "555-0100", "version": read["version"]}
    )
    assert changed.status_code == 200, changed.json()
    assert changed.json()["phone"] == "555-0100"
    assert changed.json()["first_name"] == "Lee" and changed.json()["tags"] == ["speaker"]
    assert changed.json()["version"] != read["version"]
    stale = api.patch(
        f"/api/v1/contacts/{contact.pk}/", {"first_name": "Leo", "version": read["version"]}
    )
    assert stale.status_code == 409
    assert stale.json()["error"]["code"] == "stale"
    assert _contact(contact.pk).first_name == "Lee"
    missing = api.patch(f"/api/v1/contacts/{contact.pk}/", {"first_name": "Leo"})
    assert missing.status_code == 400 and "version" in missing.json()["error"]["fields"]


def test_consent_needs_an_address_and_says_how_the_person_agreed(world):
    no_address = ContactFactory(organization=world.org, email="")
    contact = ContactFactory(organization=world.org)
    api = api_as(world.coordinator, world.org)
    refused = api.post(f"/api/v1/contacts/{no_address.pk}/consent/", {"given": True, "basis": "x"})
    assert refused.status_code == 400 and refused.json()["error"]["fields"]["email"]
    no_basis = api.post(f"/api/v1/contacts/{contact.pk}/consent/", {"given": True})
    assert no_basis.status_code == 400 and no_basis.json()["error"]["fields"]["basis"]
    with scopes_disabled():
        assert not ConsentRecord.objects.exists()
    given = api.post(
        f"/api/v1/contacts/{contact.pk}/consent/",
        {"given": True, "basis": "Signed the sheet at the 12 March conversation"},
    )
    assert given.status_code == 200 and given.json()["consent"] == "given"
    gone = api.post(f"/api/v1/contacts/{contact.pk}/consent/", {"given": False})
    assert gone.json()["consent"] == "withdrawn"
    # The consent itself is not a field one can write.
    read = api.get(f"/api/v1/contacts/{contact.pk}/").json()
    api.patch(f"/api/v1/contacts/{contact.pk}/", {"consent": "given", "version": read["version"]})
    assert _contact(contact.pk).consent == "withdrawn"


def test_partner_users_and_the_roundtable_reach_no_contact(world):
    contact = ContactFactory(organization=world.org)
    for user in (world.partner, world.roundtable):
        api = api_as(user, world.org)
        assert api.get("/api/v1/contacts/").status_code == 403
        assert api.get(f"/api/v1/contacts/{contact.pk}/").status_code == 403
