import datetime
import zoneinfo

import pytest

from measures.periods import (
    Period,
    frequency_of,
    parse_period,
    period_at,
    period_containing,
    periods_between,
)


@pytest.mark.parametrize(
    ("frequency", "day", "key"),
    [
        ("quarterly", datetime.date(2027, 2, 14), "2027-Q1"),
        ("monthly", datetime.date(2027, 3, 31), "2027-03"),
        ("semi_annual", datetime.date(2027, 6, 30), "2027-H1"),
        ("semi_annual", datetime.date(2027, 7, 1), "2027-H2"),
        ("annual", datetime.date(2027, 12, 31), "2027"),
    ],
)
def test_the_period_of_a_day_is_derived_from_the_frequency(frequency, day, key):
    assert period_containing(day, frequency).key == key


def test_a_quarter_knows_its_first_and_last_day():
    q1 = parse_period("2027-Q1", "quarterly")
    assert (q1.start, q1.end) == (datetime.date(2027, 1, 1), datetime.date(2027, 3, 31))
    assert parse_period("2028-Q1", "quarterly").previous().key == "2027-Q4"
    assert parse_period("2027-Q4", "quarterly").next().key == "2028-Q1"


@pytest.mark.parametrize(
    ("key", "frequency"),
    [
        ("2027-Q5", "quarterly"),
        ("2027-13", "monthly"),
        ("2027-H3", "semi_annual"),
        ("Q1", "quarterly"),
        ("2027-Q1", "annual"),
    ],
)
def test_a_period_that_does_not_exist_is_refused(key, frequency):
    with pytest.raises(ValueError):
        parse_period(key, frequency)


def test_periods_between_two_days_are_listed_in_order():
    keys = [
        p.key
        for p in periods_between(
            datetime.date(2025, 1, 15), datetime.date(2025, 10, 1), "quarterly"
        )
    ]
    assert keys == ["2025-Q1", "2025-Q2", "2025-Q3", "2025-Q4"]


def test_period_boundaries_follow_the_organizations_time_zone():
    # 03:30 UTC on 1 April is still 31 March in Vancouver: the first quarter.
    moment = datetime.datetime(2027, 4, 1, 3, 30, tzinfo=datetime.UTC)
    assert period_at(moment, "quarterly", zoneinfo.ZoneInfo("America/Vancouver")).key == "2027-Q1"
    assert period_at(moment, "quarterly", zoneinfo.ZoneInfo("Europe/Paris")).key == "2027-Q2"
    ends = Period(2027, 1, "quarterly").ends_at(zoneinfo.ZoneInfo("America/Toronto"))
    assert ends.isoformat() == "2027-04-01T00:00:00-04:00"


def test_the_frequency_is_read_from_a_key():
    assert [frequency_of(k) for k in ("2027-Q1", "2027-03", "2027-H2", "2027", "soon")] == [
        "quarterly",
        "monthly",
        "semi_annual",
        "annual",
        None,
    ]
