"""The demo publishes Riverside's community scorecard and prints its address."""

import io

from django.core.management import call_command
from django.test import Client
from django_scopes import scopes_disabled

from plans.models import Scorecard


def test_the_demo_publishes_a_scorecard_and_prints_its_address(db):
    said = io.StringIO()
    call_command("seed_demo", stdout=said)
    with scopes_disabled():
        card = Scorecard.objects.get(initiative__name="Poverty Reduction Roundtable")
    assert card.published
    address = f"/s/{card.slug}/"
    assert address in said.getvalue()

    page = Client().get(address).content.decode()

    for shown in ("halve child poverty", "Poverty rate (LIM-AT)", "Community summit on poverty"):
        assert shown in page, shown
    assert "@riverside" not in page and "@riverside.example" not in page

    call_command("seed_demo", stdout=io.StringIO())
    with scopes_disabled():
        assert Scorecard.objects.get(pk=card.pk).slug == card.slug
