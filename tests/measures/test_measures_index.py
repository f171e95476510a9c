"""The measures index is kept as HTML per role behind the measures stamp
(measures.panel_cache): a second view reads no measure, and what it shows — data owed,
values waiting for approval (saved one by one or decided in bulk), the initiatives and
their indicators — is on the next view. A partner user's page is never kept."""

from decimal import Decimal

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django_scopes import scopes_disabled

from measures import services
from measures.models import DataPoint

from ..initiatives.factories import InitiativeFactory
from .factories import DataPointFactory, DataRequestFactory, IndicatorFactory
from .test_dashboard_cache import TOKEN, measure_queries

Status = DataPoint.Status


def index(world) -> str:
    return reverse("measures:index", kwargs={"org_slug": world.org.slug})


def test_a_second_view_reads_no_measure_and_shows_the_same(world, measures, login):
    client = login(world.admin)
    first = client.get(index(world)).content.decode()
    with CaptureQueriesContext(connection) as queries:
        second = client.get(index(world)).content.decode()
    assert measure_queries(queries) == []
    assert len(queries) <= 3
    assert TOKEN.sub("", first) == TOKEN.sub("", second)
    assert "Riverside Food Bank" in second


def test_values_waiting_requests_and_initiatives_show_at_once(world, measures, login):
    client = login(world.coordinator)
    assert "0 values waiting for approval" in client.get(index(world)).content.decode()
    point = DataPointFactory(
        indicator=measures.indicator, partner=measures.food_bank, value=Decimal("5")
    )
    assert "1 value waiting for approval" in client.get(index(world)).content.decode()
    with scopes_disabled():
        services.data_points_approve(organization=world.org, ids=[point.pk], user=world.admin)
    assert "0 values waiting for approval" in client.get(index(world)).content.decode()

    newcomer = DataRequestFactory(indicator=measures.indicator).partner
    assert newcomer.name in client.get(index(world)).content.decode()

    assert "1 indicator<" in client.get(index(world)).content.decode()
    IndicatorFactory(initiative=measures.initiative, name="Meals served")
    assert "2 indicators<" in client.get(index(world)).content.decode()
    InitiativeFactory(organization=world.org, name="Housing First & <Now>")
    assert "Housing First &amp; &lt;Now&gt;" in client.get(index(world)).content.decode()


def test_each_role_and_language_is_kept_apart(world, measures, login):
    admin, roundtable = login(world.admin), login(world.roundtable)
    assert "Data due and overdue" in admin.get(index(world)).content.decode()
    assert "Data due and overdue" not in roundtable.get(index(world)).content.decode()
    world.org.language = "fr"
    world.org.save()
    french = admin.get(index(world)).content.decode()
    assert "Data due and overdue" not in french
    assert "1 indicateur<" in french


def test_a_partner_users_page_is_never_kept(world, measures, login):
    partner = login(world.partner)
    login(world.admin).get(index(world))
    page = partner.get(index(world), {"welcome": "1"}).content.decode()
    assert "Welcome: you report for Riverside Food Bank" in page
    assert "City of Riverside Social Services" not in page
    with CaptureQueriesContext(connection) as queries:
        partner.get(index(world))
    assert measure_queries(queries)
