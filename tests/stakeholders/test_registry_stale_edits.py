"""Stale saves of a partner's and a contact's record are refused: see
`tests/backbone/stale_saves.py` for what each case checks."""

import pytest

from ..backbone.stale_saves import EditCase, check_stale_save_refused
from .factories import ContactFactory, PartnerFactory

BASE = "/o/riverside/stakeholders"


def partner_case(world):
    partner = PartnerFactory(organization=world.org, name="Food bank")
    url = f"{BASE}/partners/{partner.pk}/edit/"
    fields = {"name": partner.name, "sector": partner.sector, "website": ""}
    return EditCase(partner, url, url, "notes", "Their notes", "My notes", fields)


def contact_case(world):
    contact = ContactFactory(organization=world.org)
    url = f"{BASE}/contacts/{contact.pk}/edit/"
    fields = {
        "first_name": contact.first_name,
        "last_name": contact.last_name,
        "email": contact.email,
        "sector": contact.sector,
    }
    return EditCase(contact, url, url, "phone", "555-0100", "555-0199", fields)


@pytest.mark.parametrize("make", [partner_case, contact_case])
def test_a_stale_save_is_refused_naming_who_and_keeping_the_input(world, login, make):
    check_stale_save_refused(world, login, make(world))
