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


def flagged_queue(world, measures):
    """Food bank: 2026-Q1 approved at 1,000, 2026-Q2 submitted at 999,999 (a jump); the
    other partner: 2026-Q3 at 12.5 (a decimal in a count), 2026-Q2 at 40 (no flag)."""
    approved = DataPointFactory(
        indicator=measures.indicator, partner=measures.food_bank, period="2026-Q1",
        value=1000, status=Status.APPROVED,
    )  # fmt: skip
    jump = DataPointFactory(
        indicator=measures.indicator, partner=measures.food_bank, period="2026-Q2", value=999999
    )
    fraction = DataPointFactory(
        indicator=measures.indicator, partner=measures.other, period="2026-Q3", value="12.5"
    )
    plain = DataPointFactory(
        indicator=measures.indicator, partner=measures.other, period="2026-Q2", value=40
    )
    return approved, jump, fraction, plain


def row_of(html: str, point) -> str:
    start = html.index(f'value="{point.pk}"')
    return html[start : html.index("</tr>", start)]


def test_each_value_shows_the_last_approved_value_the_change_and_its_flags(world, measures, login):
    _approved, jump, fraction, plain = flagged_queue(world, measures)
    html = login(world.coordinator).get(url("approvals", world)).content.decode()
    assert "checked" not in html  # nothing preselected
    jumped = row_of(html, jump)
    assert "999,999" in jumped and "1,000" in jumped and "+99,900 %" in jumped
    assert "Big jump" in jumped
    assert "Decimal in a count" in row_of(html, fraction)
    assert "Decimal in a count" not in jumped
    assert "badge--flag" not in row_of(html, plain)


def test_a_breakdown_that_does_not_add_up_and_a_value_out_of_range_are_flagged(
    world, measures, login
):
    indicator = measures.indicator
    indicator.disaggregation = {"Age group": ["0–17", "18+"]}
    indicator.maximum = 500
    indicator.save()
    total = DataPointFactory(indicator=indicator, partner=measures.food_bank, value=600)
    for cell in ("Age group: 0–17", "Age group: 18+"):
        DataPointFactory(indicator=indicator, partner=measures.food_bank, cell=cell, value=100)
    html = login(world.coordinator).get(url("approvals", world)).content.decode()
    assert "Breakdown ≠ total" in row_of(html, total)
    assert "Out of range" in row_of(html, total)


def row(point) -> str:
    """A value's row in the queue, by its checkbox: a filter's option may carry the same
    number as a value's id."""
    return f'name="points" value="{point.pk}"'


def test_the_queue_filters_by_partner_initiative_and_flag_and_sorts(world, measures, login):
    _approved, jump, fraction, plain = flagged_queue(world, measures)
    client = login(world.coordinator)
    only_other = client.get(url("approvals", world), {"partner": measures.other.pk})
    assert row(plain) in only_other.content.decode()
    assert row(jump) not in only_other.content.decode()
    jumps = client.get(url("approvals", world), {"flag": "jump"}).content.decode()
    assert row(jump) in jumps and row(fraction) not in jumps
    unflagged = client.get(url("approvals", world), {"flag": "none"}).content.decode()
    assert row(plain) in unflagged and row(jump) not in unflagged
    other_initiative = client.get(url("approvals", world), {"initiative": 999999})
    assert other_initiative.status_code == 200  # an unknown choice is ignored, not an error
    by_change = client.get(url("approvals", world), {"sort": "change"}).content.decode()
    assert by_change.index(row(jump)) < by_change.index(row(plain))
    partial = client.get(
        url("approvals", world), {"initiative": measures.initiative.pk}, HTTP_HX_REQUEST="true"
    ).content.decode()
    assert 'id="approval-results"' in partial and "<html" not in partial


def test_every_unflagged_value_is_approved_in_one_action_after_saying_how_many(
    world, measures, login
):
    _approved, jump, fraction, plain = flagged_queue(world, measures)
    client = login(world.coordinator)
    confirm = client.get(url("approve_unflagged", world)).content.decode()
    assert "1 value(s) carry no flag" in confirm
    assert row(plain) in confirm
    later = DataPointFactory(
        indicator=measures.indicator, partner=measures.other, period="2026-Q4", value=41
    )  # submitted after the confirmation was shown: it waits
    response = client.post(url("approve_unflagged", world), {"points": str(plain.pk)}, follow=True)
    assert "1 value(s) approved." in response.content.decode()
    with scopes_disabled():
        statuses = dict(DataPoint.objects.values_list("pk", "status"))
    assert statuses[plain.pk] == Status.APPROVED
    assert statuses[jump.pk] == statuses[fraction.pk] == statuses[later.pk] == Status.SUBMITTED


def test_a_partner_cannot_approve_unflagged_values(world, measures, login):
    _approved, _jump, _fraction, plain = flagged_queue(world, measures)
    client = login(world.partner)
    assert client.get(url("approve_unflagged", world)).status_code == 403
    assert (
        client.post(url("approve_unflagged", world), {"points": str(plain.pk)}).status_code == 403
    )
