"""The measures index (what is owed), an initiative's dashboard, glossary and export."""

import csv
import io
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django_scopes import scopes_disabled

from backbone.spreadsheets import STREAM_LINES
from measures.models import DataPoint

from ..initiatives.factories import InitiativeFactory
from .factories import DataPointFactory, IndicatorFactory, TargetFactory

Status = DataPoint.Status


def url(name, world, **kwargs):
    return reverse(f"measures:{name}", kwargs={"org_slug": world.org.slug, **kwargs})


def test_a_partner_sees_what_it_owes_and_not_what_others_owe(world, measures, login):
    response = login(world.partner).get(url("index", world))
    content = response.content.decode()
    assert "What Riverside Food Bank owes" in content
    assert "Households using the food bank" in content
    assert "City of Riverside Social Services" not in content


def test_a_partner_cannot_see_an_initiative_its_partner_is_not_in(world, measures, login):
    elsewhere = InitiativeFactory(organization=world.org, name="Ready for School")
    indicator = IndicatorFactory(initiative=elsewhere)
    client = login(world.partner)
    assert client.get(url("dashboard", world, initiative_id=elsewhere.pk)).status_code == 404
    assert client.get(url("indicator_detail", world, indicator_id=indicator.pk)).status_code == 404


def test_export_is_approved_only_and_formula_safe(world, measures, login):
    measures.indicator.name = '=HYPERLINK("evil")'
    measures.indicator.save()
    DataPointFactory(
        indicator=measures.indicator,
        partner=measures.food_bank,
        status=Status.APPROVED,
        value=Decimal("7"),
    )
    DataPointFactory(indicator=measures.indicator, partner=measures.other, status=Status.SUBMITTED)
    response = login(world.roundtable).get(
        url("export", world, initiative_id=measures.initiative.pk)
    )
    rows = list(csv.reader(io.StringIO(response.getvalue().decode())))
    assert rows[1][:5] == ['\'=HYPERLINK("evil")', "2027-Q1", "Riverside Food Bank", "", "7.0000"]
    assert len(rows) == 2


def fill_dashboard(world, initiative, indicators, periods, partners):
    from ..stakeholders.factories import PartnerFactory

    made = [PartnerFactory(organization=world.org) for _ in range(partners)]
    with scopes_disabled():
        for i in range(indicators):
            indicator = IndicatorFactory(initiative=initiative, aggregation="mean")
            TargetFactory(indicator=indicator)
            DataPoint.objects.bulk_create(
                DataPoint(
                    organization=world.org,
                    indicator=indicator,
                    partner=partner,
                    period=f"{2020 + p // 4}-Q{p % 4 + 1}",
                    value=Decimal(i + p),
                    status=Status.APPROVED,
                )
                for p in range(periods)
                for partner in made
            )


@pytest.mark.parametrize("page", ["dashboard", "index"])
def test_pages_keep_the_same_query_count_for_small_and_large_data(world, login, page):
    counts = []
    client = login(world.coordinator)
    for size in (1, 4):
        initiative = InitiativeFactory(organization=world.org)
        fill_dashboard(world, initiative, indicators=size * 2, periods=size * 3, partners=size)
        target = (
            url(page, world, initiative_id=initiative.pk)
            if page == "dashboard"
            else url(page, world)
        )
        with CaptureQueriesContext(connection) as queries:
            response = client.get(target)
        assert response.status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]


def test_a_partner_exports_only_its_own_rows(world, measures, login):
    DataPointFactory(
        indicator=measures.indicator, partner=measures.food_bank, status=Status.APPROVED
    )
    DataPointFactory(indicator=measures.indicator, partner=measures.other, status=Status.APPROVED)
    response = login(world.partner).get(url("export", world, initiative_id=measures.initiative.pk))
    rows = list(csv.reader(io.StringIO(response.getvalue().decode())))
    assert [row[2] for row in rows[1:]] == ["Riverside Food Bank"]


def test_the_glossary_lists_definitions_and_free_terms(world, measures, login):
    login(world.coordinator).post(
        url("glossary_add", world, initiative_id=measures.initiative.pk),
        {"term": "LIM-AT", "meaning": "Low Income Measure, after tax."},
    )
    page = login(world.partner).get(url("dashboard", world, initiative_id=measures.initiative.pk))
    content = page.content.decode()
    assert "Low Income Measure, after tax." in content
    assert measures.indicator.definition in content
    assert "Add to the glossary" not in content  # partners read, staff define


def test_the_values_export_streams_every_row_in_a_fixed_number_of_queries(world, login):
    client = login(world.coordinator)
    counts = []
    for size in (1, 6):
        initiative = InitiativeFactory(organization=world.org)
        fill_dashboard(world, initiative, indicators=size, periods=size * 4, partners=size * 5)
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url("export", world, initiative_id=initiative.pk))
            assert response.streaming  # nothing read yet: rows are read as they are sent
            body = response.getvalue().decode("utf-8-sig")
        counts.append(len(queries))
        rows = list(csv.reader(io.StringIO(body)))
        assert rows[0][:6] == ["indicator", "period", "partner", "disaggregation", "value", "unit"]
        assert rows[0][6:] == ["definition_version"]
        assert len(rows) - 1 == size * size * 4 * size * 5
    assert counts[0] == counts[1]
    assert len(rows) - 1 > STREAM_LINES  # the large one came in several chunks


def test_the_dashboard_shows_one_page_of_charts_with_a_search(world, login):
    from measures.selectors import DASHBOARD_PAGE_SIZE

    initiative = InitiativeFactory(organization=world.org)
    with scopes_disabled():
        for i in range(2 * DASHBOARD_PAGE_SIZE + 3):
            IndicatorFactory(initiative=initiative, name=f"Measure {i:02d}")
        IndicatorFactory(initiative=initiative, name="Households fed")
    client = login(world.coordinator)
    target = url("dashboard", world, initiative_id=initiative.pk)
    with CaptureQueriesContext(connection) as first:
        body = client.get(target).content.decode()
    assert body.count('class="card measures-card"') == DASHBOARD_PAGE_SIZE
    assert "28 indicators" in body and "Page 1 of 3" in body
    assert "<dt>Measure 26</dt>" in body  # the glossary defines them all
    last = client.get(target, {"page": 3}).content.decode()
    assert last.count('class="card measures-card"') == 4 and "Measure 26" in last
    with CaptureQueriesContext(connection) as searched:
        found = client.get(target, {"q": "househ"}, headers={"HX-Request": "true"})
    assert found.content.decode().count('class="card measures-card"') == 1
    assert "Households fed" in found.content.decode() and "<h1>" not in found.content.decode()
    assert len(searched) == len(first)
