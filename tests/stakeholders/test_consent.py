from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from django_scopes import scope

from stakeholders.models import ConsentSource, ConsentStatus
from stakeholders.selectors import contacts_reachable_by_email
from stakeholders.services import consent_record, consent_unsubscribe

from .factories import ContactFactory


def test_only_contacts_with_an_address_and_current_consent_are_reachable(world):
    agreed = ContactFactory(organization=world.org, email="yes@example.org")
    never = ContactFactory(organization=world.org, email="never@example.org")
    left = ContactFactory(organization=world.org, email="left@example.org")
    ContactFactory(organization=world.other_org, email="other@example.org")
    with scope(organization=world.org):
        consent_record(contact=agreed, given=True, source=ConsentSource.FORM)
        consent_record(contact=left, given=True, source=ConsentSource.EVENT)
        consent_unsubscribe(contact=left)
        reachable = list(contacts_reachable_by_email(world.org))
    assert reachable == [agreed]
    assert never.consent == ConsentStatus.NONE


def test_the_history_keeps_every_change_with_how_and_the_wording(world):
    contact = ContactFactory(organization=world.org)
    with scope(organization=world.org):
        consent_record(
            contact=contact, given=True, source=ConsentSource.FORM, wording="Send me news."
        )
        consent_unsubscribe(contact=contact)
        history = list(contact.consent_records.all())
    assert [r.status for r in history] == [ConsentStatus.WITHDRAWN, ConsentStatus.GIVEN]
    assert history[1].wording == "Send me news." and history[1].source == ConsentSource.FORM
    assert history[0].source == ConsentSource.UNSUBSCRIBE
    contact.refresh_from_db()
    assert contact.consent == ConsentStatus.WITHDRAWN


def test_an_older_record_does_not_override_a_newer_unsubscribe(world):
    contact = ContactFactory(organization=world.org)
    with scope(organization=world.org):
        consent_unsubscribe(contact=contact)
        consent_record(
            contact=contact,
            given=True,
            source=ConsentSource.EVENT,
            recorded_at=timezone.now() - timedelta(days=30),
        )
    contact.refresh_from_db()
    assert contact.consent == ConsentStatus.WITHDRAWN


def test_consent_needs_an_email_and_a_stated_basis_for_imports_and_staff(world):
    no_email = ContactFactory(organization=world.org, email="")
    contact = ContactFactory(organization=world.org)
    with scope(organization=world.org):
        with pytest.raises(ValidationError):
            consent_record(contact=no_email, given=True, source=ConsentSource.FORM)
        with pytest.raises(ValidationError):
            consent_record(contact=contact, given=True, source=ConsentSource.STAFF, basis=" ")
        assert not contact.consent_records.exists()


def test_staff_record_consent_from_the_contact_page(world, login):
    contact = ContactFactory(organization=world.org)
    url = reverse(
        "stakeholders:contact_consent", kwargs={"org_slug": "riverside", "contact_id": contact.pk}
    )
    client = login(world.coordinator)
    missing = client.post(url, {"given": "yes", "basis": ""})
    assert missing.status_code == 422 and "Say how this person agreed" in missing.text
    client.post(url, {"given": "yes", "basis": "Signed sheet, 12 March community conversation"})
    page = client.get(
        reverse(
            "stakeholders:contact_detail",
            kwargs={"org_slug": "riverside", "contact_id": contact.pk},
        )
    )
    assert "Signed sheet, 12 March community conversation" in page.text
    assert "Agreed to e-mail" in page.text
    assert "Recorded by" in page.text
