"""The contacts list's partner filter: a select of a few partners, a search past
PICKER_LIMIT (no option per partner), filtering with htmx and without JavaScript."""

import re

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from stakeholders import pickers

from .factories import ContactFactory, PartnerFactory


def test_past_the_limit_the_partner_filter_is_a_search(world, login, monkeypatch):
    food_bank = PartnerFactory(organization=world.org, name="Riverside Food Bank")
    ContactFactory(organization=world.org, first_name="Ben", last_name="Gill", partner=food_bank)
    ContactFactory(organization=world.org, first_name="Aisha", last_name="Chen")
    far = PartnerFactory(organization=world.other_org, name="Food Bank Far Away")
    ContactFactory(organization=world.other_org, first_name="Far", partner=far)
    client = login(world.coordinator)
    index = reverse("stakeholders:index", kwargs={"org_slug": world.org.slug})
    assert '<select name="partner"' in client.get(index).text  # one partner: a select
    monkeypatch.setattr(pickers, "PICKER_LIMIT", 3)
    PartnerFactory.create_batch(3, organization=world.org)
    with CaptureQueriesContext(connection) as few:
        page = client.get(index).text
    assert '<select name="partner"' not in page and 'type="search" name="partner"' in page
    search = reverse("stakeholders:pick_partners", kwargs={"org_slug": world.org.slug})
    assert f'hx-get="{search}?field=partner&amp;id=id_partner&amp;optional=1"' in page
    PartnerFactory.create_batch(40, organization=world.org)
    with CaptureQueriesContext(connection) as many:
        assert "<option" not in client.get(index).text.split('name="partner"')[1].split("</div>")[0]
    assert len(many) == len(few)
    # With htmx: the search's radio button is sent.
    picked = client.get(index, {"partner": "", "partner_pick": food_bank.pk}).text
    assert "Ben Gill" in picked and "Aisha Chen" not in picked
    # Without JavaScript: the typed name; several matches list them to choose from.
    typed = client.get(index, {"partner": "food bank"}).text
    assert "Ben Gill" in typed and "Aisha Chen" not in typed
    PartnerFactory(organization=world.org, name="Food Bank East")
    several = client.get(index, {"partner": "food bank"}).text
    assert "Ben Gill" in several and "Aisha Chen" in several  # no partner filter applies
    assert "> Food Bank East</label>" in several and "> Riverside Food Bank</label>" in several
    assert len(re.findall(r'<input type="radio" name="partner_pick"', several)) == 3  # + "None"
