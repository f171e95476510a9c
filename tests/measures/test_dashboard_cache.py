"""The measures dashboard is kept as HTML per organization measures stamp
(measures.chart_cache): a second view reads no measure, and every write it shows — a value
approved one by one or in bulk, a story, a target, a renamed champion, a glossary term, a
retired indicator — is on the next view."""

import re
from decimal import Decimal

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django_scopes import scopes_disabled

from measures import services
from measures.models import DataPoint

from ..stakeholders.factories import ContactFactory
from .factories import DataPointFactory, TargetFactory

Status = DataPoint.Status
TOKEN = re.compile(r'(?<=csrfmiddlewaretoken" value=")[^"]+|(?<=X-CSRFToken": ")[^"]+')


def dashboard(world, measures) -> str:
    return reverse(
        "measures:dashboard",
        kwargs={"org_slug": world.org.slug, "initiative_id": measures.initiative.pk},
    )


def measure_queries(queries) -> list[str]:
    return [q["sql"] for q in queries if '"measures_' in q["sql"]]


def test_a_second_view_reads_no_measure_and_shows_the_same(world, measures, login):
    client = login(world.coordinator)
    first = client.get(dashboard(world, measures)).content.decode()
    with CaptureQueriesContext(connection) as queries:
        second = client.get(dashboard(world, measures)).content.decode()
    assert measure_queries(queries) == []
    assert measures.indicator.name in second
    # The same page but for the forms' token (each response masks it anew).
    assert TOKEN.sub("", first) == TOKEN.sub("", second)


def test_values_approved_one_by_one_or_in_bulk_show_at_once(world, measures, login):
    client = login(world.coordinator)
    point = DataPointFactory(
        indicator=measures.indicator, partner=measures.food_bank, value=Decimal("4321")
    )
    assert "4,321" not in client.get(dashboard(world, measures)).content.decode()
    with scopes_disabled():
        services.data_points_approve(organization=world.org, ids=[point.pk], user=world.coordinator)
    assert "4,321" in client.get(dashboard(world, measures)).content.decode()  # bulk update

    other = DataPointFactory(
        indicator=measures.indicator,
        partner=measures.food_bank,
        period="2027-Q2",
        value=Decimal("8765"),
        status=Status.APPROVED,
    )
    assert "8,765" in client.get(dashboard(world, measures)).content.decode()  # a save
    with scopes_disabled():
        other.delete()
    assert "8,765" not in client.get(dashboard(world, measures)).content.decode()


def test_stories_targets_champions_terms_and_retiring_show_at_once(world, measures, login):
    client = login(world.coordinator)
    page = dashboard(world, measures)
    DataPointFactory(
        indicator=measures.indicator, partner=measures.food_bank, status=Status.APPROVED
    )
    client.get(page)
    with scopes_disabled():
        services.curve_story_save(
            indicator=measures.indicator,
            period="2027-Q1",
            text="Lines got longer.",
            user=world.coordinator,
        )
    assert "Lines got longer." in client.get(page).content.decode()

    TargetFactory(indicator=measures.indicator, value=Decimal("987654"))
    assert "987,654" in client.get(page).content.decode()

    champion = ContactFactory(organization=world.org, first_name="Ada", last_name="Okafor")
    with scopes_disabled():
        measures.indicator.champion = champion
        measures.indicator.save()
    assert "Ada Okafor" in client.get(page).content.decode()
    champion.last_name = "Mensah"
    with scopes_disabled():
        champion.save()
    assert "Ada Mensah" in client.get(page).content.decode()

    with scopes_disabled():
        services.glossary_term_save(
            initiative=measures.initiative, term="LIM-AT", meaning="Low income, after tax."
        )
    assert "Low income, after tax." in client.get(page).content.decode()

    with scopes_disabled():
        measures.indicator.is_active = False
        measures.indicator.save()
    assert measures.indicator.name not in client.get(page).content.decode()


def test_each_language_is_kept_apart(world, measures, login):
    DataPointFactory(
        indicator=measures.indicator,
        partner=measures.food_bank,
        status=Status.APPROVED,
        value=Decimal("1234"),
    )
    client = login(world.coordinator)
    assert "1,234" in client.get(dashboard(world, measures)).content.decode()
    world.org.language = "fr"  # no measure changes: the French page is its own
    world.org.save()
    french = client.get(dashboard(world, measures)).content.decode()
    assert "1,234" not in french and "Mesures de" in french
