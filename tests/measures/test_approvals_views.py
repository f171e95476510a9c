"""The approval queue and a value's history."""

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django_scopes import scope, scopes_disabled

from measures.models import DataPoint

from .factories import DataPointFactory

Status = DataPoint.Status


def url(name, world, **kwargs):
    return reverse(f"measures:{name}", kwargs={"org_slug": world.org.slug, **kwargs})


def test_a_partner_cannot_see_other_partners_submissions(world, measures, login):
    theirs = DataPointFactory(indicator=measures.indicator, partner=measures.other)
    client = login(world.partner)
    assert client.get(url("data_point", world, data_point_id=theirs.pk)).status_code == 404
    page = client.get(
        url("indicator_detail", world, indicator_id=measures.indicator.pk)
    ).content.decode()
    assert "City of Riverside Social Services" not in page


def test_a_partner_cannot_approve_or_reach_the_queue(world, measures, login):
    mine = DataPointFactory(indicator=measures.indicator, partner=measures.food_bank)
    client = login(world.partner)
    assert client.post(url("approvals", world), {"points": [mine.pk]}).status_code == 403
    mine.refresh_from_db()
    assert mine.status == Status.SUBMITTED


def test_a_coordinator_approves_in_bulk(world, measures, login):
    points = [
        DataPointFactory(
            indicator=measures.indicator, partner=measures.food_bank, period=f"2026-Q{q}"
        )
        for q in (1, 2, 3)
    ]
    response = login(world.coordinator).post(
        url("approvals", world),
        {"points": [p.pk for p in points], "action": "approve"},
        follow=True,
    )
    assert "3 value(s) approved." in response.content.decode()
    with scopes_disabled():
        assert set(DataPoint.objects.values_list("status", flat=True)) == {Status.APPROVED}


def test_a_coordinator_returns_with_a_reason_shown_on_the_history(world, measures, login):
    point = DataPointFactory(indicator=measures.indicator, partner=measures.food_bank)
    client = login(world.coordinator)
    client.post(
        url("approvals", world),
        {"points": [point.pk], "action": "return", "reason": "Households, not people"},
    )
    page = (
        login(world.partner).get(url("data_point", world, data_point_id=point.pk)).content.decode()
    )
    assert "Households, not people" in page
    assert "submitted → returned" in page


def test_approval_queue_keeps_the_same_query_count(world, measures, login):
    client = login(world.coordinator)
    counts = []
    for size in (1, 20):
        for n in range(size):
            DataPointFactory(
                indicator=measures.indicator,
                partner=measures.food_bank,
                period=f"{1990 + n}-Q{size % 4 + 1}",
            )
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url("approvals", world))
        counts.append(len(queries))
        with scope(organization=world.org):
            assert (
                response.content.decode().count('name="points"')
                == DataPoint.objects.filter(status=Status.SUBMITTED).count()
            )
    assert counts[0] == counts[1]
