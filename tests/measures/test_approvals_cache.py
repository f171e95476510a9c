"""The approval queue (and the count of its unflagged values) is kept per role and query
string behind the measures stamp (measures.panel_cache): a second view reads no measure,
a value submitted or decided (one by one or in bulk) is on the next view, and the forms
carry the member's own token."""

import re
from decimal import Decimal

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django_scopes import scopes_disabled

from measures import services
from measures.models import DataPoint

from .factories import DataPointFactory
from .test_dashboard_cache import TOKEN, measure_queries

Status = DataPoint.Status


def url(name, world) -> str:
    return reverse(f"measures:{name}", kwargs={"org_slug": world.org.slug})


def test_a_second_view_reads_no_measure_and_shows_the_same(world, measures, login):
    DataPointFactory(indicator=measures.indicator, partner=measures.food_bank, value=Decimal(7))
    client = login(world.coordinator)
    for name in ("approvals", "approve_unflagged"):
        first = client.get(url(name, world)).content.decode()
        with CaptureQueriesContext(connection) as queries:
            second = client.get(url(name, world)).content.decode()
        assert measure_queries(queries) == [], name
        assert TOKEN.sub("", first) == TOKEN.sub("", second)
    assert "__measures-csrf-token__" not in second


def test_values_submitted_and_decided_show_at_once(world, measures, login):
    client = login(world.coordinator)
    assert "Nothing waits for approval." in client.get(url("approvals", world)).content.decode()
    assert (
        "0 value(s) carry no flag" in client.get(url("approve_unflagged", world)).content.decode()
    )
    point = DataPointFactory(
        indicator=measures.indicator, partner=measures.food_bank, value=Decimal(7)
    )
    assert (
        f'name="points" value="{point.pk}"' in client.get(url("approvals", world)).content.decode()
    )
    assert (
        "1 value(s) carry no flag" in client.get(url("approve_unflagged", world)).content.decode()
    )
    with scopes_disabled():
        services.data_points_approve(organization=world.org, ids=[point.pk], user=world.admin)
    assert "Nothing waits for approval." in client.get(url("approvals", world)).content.decode()
    assert (
        "0 value(s) carry no flag" in client.get(url("approve_unflagged", world)).content.decode()
    )


def test_filters_and_htmx_results_are_kept_apart_and_the_token_works(world, measures, login):
    point = DataPointFactory(
        indicator=measures.indicator, partner=measures.food_bank, value=Decimal(7)
    )
    client = login(world.coordinator)
    client.get(url("approvals", world))
    other = client.get(url("approvals", world), {"flag": "any"}).content.decode()
    assert f'name="points" value="{point.pk}"' not in other
    results = client.get(url("approvals", world), HTTP_HX_REQUEST="true").content.decode()
    assert "<html" not in results and f'name="points" value="{point.pk}"' in results
    admin = login(world.admin)
    admin.handler.enforce_csrf_checks = True
    page = admin.get(url("approvals", world)).content.decode()
    token = re.search(r'csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    response = admin.post(
        url("approvals", world),
        {"csrfmiddlewaretoken": token, "points": [point.pk], "action": "approve"},
    )
    assert response.status_code == 302
    with scopes_disabled():
        assert DataPoint.objects.get(pk=point.pk).status == Status.APPROVED
