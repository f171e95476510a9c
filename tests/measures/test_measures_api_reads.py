"""The API's reads of shared measurement: indicators with their definitions and targets,
reporting periods, data requests and values narrowed to a partner user's partner, and the
approved series (what the charts show, never a draft or a submitted value)."""

import datetime
from decimal import Decimal

import pytest

from tests.api import api_as

from .factories import DataPointFactory, DataRequestFactory, IndicatorFactory, TargetFactory

pytestmark = pytest.mark.django_db


def test_indicators_come_with_their_definition_targets_and_cells(world, measures):
    indicator = measures.indicator
    indicator.disaggregation = {"Age group": ["0–5", "6–12"]}
    indicator.baseline_value = Decimal("340")
    indicator.save()
    TargetFactory(indicator=indicator, value=Decimal("250"), date=datetime.date(2028, 12, 31))
    row = api_as(world.partner, world.org).get(f"/api/v1/indicators/{indicator.pk}/").json()
    assert row["definition"] == indicator.definition
    assert row["baseline_value"] == "340.0000"
    assert row["targets"] == [{"value": "250.0000", "date": "2028-12-31"}]
    assert row["cells"] == ["", "Age group: 0–5", "Age group: 6–12"]


def test_a_partner_user_sees_only_the_initiatives_and_indicators_of_its_partner(world, measures):
    elsewhere = IndicatorFactory(organization=world.org, initiative__organization=world.org)
    partner = api_as(world.partner, world.org)
    listed = {r["id"] for r in partner.get("/api/v1/indicators/").json()["results"]}
    assert listed == {measures.indicator.pk}
    assert partner.get(f"/api/v1/indicators/{elsewhere.pk}/").status_code == 404
    assert partner.get(f"/api/v1/indicators/{elsewhere.pk}/series/").status_code == 404
    staff = api_as(world.coordinator, world.org)
    assert {r["id"] for r in staff.get("/api/v1/indicators/").json()["results"]} == {
        measures.indicator.pk,
        elsewhere.pk,
    }
    initiatives = {r["id"] for r in partner.get("/api/v1/initiatives/").json()["results"]}
    assert initiatives == {measures.initiative.pk}


def test_data_requests_and_values_are_narrowed_to_the_partner(world, measures):
    mine = DataPointFactory(indicator=measures.indicator, partner=measures.food_bank)
    theirs = DataPointFactory(indicator=measures.indicator, partner=measures.other)
    partner = api_as(world.partner, world.org)
    requests = partner.get("/api/v1/data-requests/").json()["results"]
    assert {r["partner"] for r in requests} == {measures.food_bank.pk}
    values = partner.get("/api/v1/values/").json()["results"]
    assert [v["id"] for v in values] == [mine.pk]
    assert partner.get(f"/api/v1/values/{theirs.pk}/").status_code == 404
    staff = api_as(world.roundtable, world.org)
    everyone = staff.get("/api/v1/values/", {"partner": measures.other.pk}).json()["results"]
    assert [v["id"] for v in everyone] == [theirs.pk]
    requests = staff.get("/api/v1/data-requests/", {"indicator": measures.indicator.pk}).json()
    assert requests["count"] == 2


def test_values_filter_by_period_indicator_partner_and_status(world, measures):
    q2 = DataPointFactory(
        indicator=measures.indicator, partner=measures.food_bank, period="2026-Q2"
    )
    DataPointFactory(
        indicator=measures.indicator, partner=measures.food_bank, period="2026-Q3", status="draft"
    )
    api = api_as(world.coordinator, world.org)
    by_period = api.get("/api/v1/values/", {"period": "2026-Q2"}).json()["results"]
    assert [v["id"] for v in by_period] == [q2.pk]
    drafts = api.get("/api/v1/values/", {"status": "draft", "indicator": measures.indicator.pk})
    assert [v["period"] for v in drafts.json()["results"]] == ["2026-Q3"]


def test_periods_run_from_the_initiatives_start_to_today_for_what_the_partner_owes(world, measures):
    unasked = IndicatorFactory(initiative=measures.initiative, frequency="annual")
    partner = api_as(world.partner, world.org)
    rows = partner.get("/api/v1/periods/", {"page_size": 200}).json()["results"]
    assert {r["indicator"] for r in rows} == {measures.indicator.pk}
    # The initiative starts on 15 January 2025; the suite's clock says 14 October 2026.
    assert [r["period"] for r in rows] == [
        "2025-Q1",
        "2025-Q2",
        "2025-Q3",
        "2025-Q4",
        "2026-Q1",
        "2026-Q2",
        "2026-Q3",
        "2026-Q4",
    ]
    assert rows[0]["start"] == "2025-01-01" and rows[0]["end"] == "2025-03-31"
    staff = api_as(world.coordinator, world.org).get("/api/v1/periods/", {"indicator": unasked.pk})
    assert [r["period"] for r in staff.json()["results"]] == ["2025", "2026"]


def test_the_series_holds_approved_values_only(world, measures):
    for partner, value in ((measures.food_bank, 30), (measures.other, 12)):
        DataPointFactory(
            indicator=measures.indicator,
            partner=partner,
            period="2026-Q1",
            status="approved",
            value=value,
        )
    DataPointFactory(
        indicator=measures.indicator, partner=measures.food_bank, period="2026-Q2", value=99
    )
    DataRequestFactory(indicator=measures.indicator)
    measures.indicator.aggregation = "sum"
    measures.indicator.save()
    series = api_as(world.partner, world.org).get(
        f"/api/v1/indicators/{measures.indicator.pk}/series/"
    )
    assert series.status_code == 200
    assert series.json() == {
        "indicator": measures.indicator.pk,
        "points": [
            {"period": "2026-Q1", "start": "2026-01-01", "end": "2026-03-31", "value": "42.0000"}
        ],
    }
