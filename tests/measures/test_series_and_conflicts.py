import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django_scopes import scope

from measures import services
from measures.models import DataPoint
from measures.selectors import approved_series, conflicts_of, indicator_status

from .factories import DataPointFactory, TargetFactory

APPROVED = DataPoint.Status.APPROVED


def approved(measures, partner, period, value, **kwargs):
    return DataPointFactory(
        indicator=measures.indicator,
        partner=partner,
        period=period,
        value=Decimal(value),
        status=APPROVED,
        **kwargs,
    )


def test_only_approved_totals_reach_the_series(world, measures):
    approved(measures, measures.food_bank, "2027-Q1", "10")
    DataPointFactory(indicator=measures.indicator, partner=measures.food_bank, period="2027-Q2")
    approved(measures, measures.food_bank, "2027-Q1", "4", cell="Age group: 0–5")
    with scope(organization=world.org):
        series = approved_series(measures.indicator)
    assert [(p.key, v) for p, v in series] == [("2027-Q1", Decimal("10"))]


def test_two_partners_for_one_period_both_stay_visible_until_the_coordinator_picks(world, measures):
    mine = approved(measures, measures.food_bank, "2027-Q1", "10")
    approved(measures, measures.other, "2027-Q1", "14")
    with scope(organization=world.org):
        assert approved_series(measures.indicator) == []
        values = sorted(p.value for p in conflicts_of(measures.indicator)["2027-Q1"])
        assert values == [Decimal("10"), Decimal("14")]
        resolution = services.conflict_resolve(
            indicator=measures.indicator,
            period="2027-Q1",
            method="pick",
            chosen=mine,
            user=world.coordinator,
        )
        assert (resolution.decided_by, resolution.value) == (world.coordinator, Decimal("10"))
        assert [v for _, v in approved_series(measures.indicator)] == [Decimal("10")]
        services.conflict_resolve(
            indicator=measures.indicator, period="2027-Q1", method="mean", user=world.coordinator
        )
        assert [v for _, v in approved_series(measures.indicator)] == [Decimal("12")]


def test_the_indicators_rule_aggregates_without_a_choice(world, measures):
    measures.indicator.aggregation = "sum"
    measures.indicator.save()
    approved(measures, measures.food_bank, "2027-Q1", "10")
    approved(measures, measures.other, "2027-Q1", "14")
    with scope(organization=world.org):
        assert [v for _, v in approved_series(measures.indicator)] == [Decimal("24")]


def test_picking_a_value_that_is_not_in_conflict_is_refused(world, measures):
    approved(measures, measures.food_bank, "2027-Q1", "10")
    approved(measures, measures.other, "2027-Q1", "14")
    elsewhere = approved(measures, measures.other, "2027-Q2", "3")
    with scope(organization=world.org), pytest.raises(ValidationError):
        services.conflict_resolve(
            indicator=measures.indicator,
            period="2027-Q1",
            method="pick",
            chosen=elsewhere,
            user=world.coordinator,
        )


@pytest.mark.parametrize(
    ("direction", "values", "trend"),
    [
        ("up", ["10", "12"], "improving"),
        ("down", ["10", "12"], "worsening"),
        ("down", ["12", "10"], "improving"),
        ("up", ["100", "100.5"], "flat"),
        ("up", ["10"], "not_enough_data"),
    ],
)
def test_the_trend_reads_the_desired_direction(world, measures, direction, values, trend):
    measures.indicator.direction = direction
    measures.indicator.save()
    for quarter, value in enumerate(values, start=1):
        approved(measures, measures.food_bank, f"2027-Q{quarter}", value)
    with scope(organization=world.org):
        assert indicator_status(measures.indicator).trend == trend


def test_on_track_when_the_pace_reaches_the_target_by_its_date(world, measures):
    for quarter, value in enumerate(["10", "20", "30"], start=1):
        approved(measures, measures.food_bank, f"2027-Q{quarter}", value)
    TargetFactory(
        indicator=measures.indicator, value=Decimal("55"), date=datetime.date(2028, 6, 30)
    )
    with scope(organization=world.org):
        assert indicator_status(measures.indicator).on_track is True
        measures.indicator.targets.update(value=Decimal("500"))
        assert indicator_status(measures.indicator).on_track is False


def test_the_trend_of_a_quarterly_indicator_looks_a_year_back(world, measures):
    # Each quarter moves less than 1 %, but a year adds up to a clear improvement.
    for quarter, value in enumerate(["1000", "1008", "1016", "1024", "1032"]):
        approved(measures, measures.food_bank, f"{2026 + quarter // 4}-Q{quarter % 4 + 1}", value)
    with scope(organization=world.org):
        assert indicator_status(measures.indicator).trend == "improving"
