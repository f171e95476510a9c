import csv
import io
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django_scopes import scope, scopes_disabled

from measures.models import DataPoint, Indicator

from ..initiatives.factories import InitiativeFactory
from .factories import DataPointFactory, IndicatorFactory, TargetFactory

Status = DataPoint.Status


def url(name, world, **kwargs):
    return reverse(f"measures:{name}", kwargs={"org_slug": world.org.slug, **kwargs})


def entry_url(world, measures, period="2027-Q1"):
    return url("entry", world, initiative_id=measures.initiative.pk) + f"?period={period}"


def test_a_partner_sees_what_it_owes_and_not_what_others_owe(world, measures, login):
    response = login(world.partner).get(url("index", world))
    content = response.content.decode()
    assert "What Riverside Food Bank owes" in content
    assert "Households using the food bank" in content
    assert "City of Riverside Social Services" not in content


def test_a_partner_submits_a_period_in_one_form(world, measures, login):
    response = login(world.partner).post(
        entry_url(world, measures),
        {"period": "2027-Q1", f"v-{measures.indicator.pk}-0": "1,250", "action": "submit"},
    )
    assert response.status_code == 302
    with scopes_disabled():
        point = DataPoint.objects.get()
    assert (point.partner, point.value, point.status) == (
        measures.food_bank,
        Decimal("1250"),
        Status.SUBMITTED,
    )


def test_bad_input_is_shown_next_to_the_field_and_other_values_are_kept(world, measures, login):
    second = IndicatorFactory(
        initiative=measures.initiative, name="Children ready (%)", unit="percent"
    )
    from .factories import DataRequestFactory

    DataRequestFactory(indicator=second, partner=measures.food_bank)
    response = login(world.partner).post(
        entry_url(world, measures),
        {
            "period": "2027-Q1",
            f"v-{measures.indicator.pk}-0": "300",
            f"v-{second.pk}-0": "140",
            "action": "submit",
        },
    )
    assert response.status_code == 422
    assert "A percentage must be between 0 and 100." in response.content.decode()
    with scopes_disabled():
        assert list(DataPoint.objects.values_list("indicator_id", "value")) == [
            (measures.indicator.pk, Decimal("300"))
        ]


def test_the_field_check_answers_as_the_partner_types(world, measures, login):
    response = login(world.partner).post(
        url("entry_check", world, initiative_id=measures.initiative.pk),
        {f"v-{measures.indicator.pk}-0": "lots"},
        HTTP_HX_REQUEST="true",
    )
    assert "Enter a number" in response.content.decode()
    assert "<html" not in response.content.decode()


def test_a_stale_form_after_approval_shows_a_message_and_keeps_the_approved_value(
    world, measures, login
):
    point = DataPointFactory(
        indicator=measures.indicator,
        partner=measures.food_bank,
        value=Decimal("10"),
        status=Status.APPROVED,
    )
    response = login(world.partner).post(
        entry_url(world, measures),
        {
            "period": "2027-Q1",
            f"v-{measures.indicator.pk}-0": "99",
            f"ver-{measures.indicator.pk}-0": "1",
            "action": "submit",
        },
    )
    assert response.status_code == 302  # the approved value is shown locked, not overwritten
    point.refresh_from_db()
    assert (point.value, point.status) == (Decimal("10"), Status.APPROVED)


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


def test_a_partner_cannot_see_an_initiative_its_partner_is_not_in(world, measures, login):
    elsewhere = InitiativeFactory(organization=world.org, name="Ready for School")
    indicator = IndicatorFactory(initiative=elsewhere)
    client = login(world.partner)
    assert client.get(url("dashboard", world, initiative_id=elsewhere.pk)).status_code == 404
    assert client.get(url("indicator_detail", world, indicator_id=indicator.pk)).status_code == 404


def test_a_roundtable_member_reads_but_cannot_submit(world, measures, login):
    client = login(world.roundtable)
    assert (
        client.get(url("dashboard", world, initiative_id=measures.initiative.pk)).status_code == 200
    )
    assert client.get(entry_url(world, measures)).status_code == 403


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


def test_a_coordinator_defines_an_indicator_with_a_target(world, measures, login):
    response = login(world.coordinator).post(
        url("indicator_create", world, initiative_id=measures.initiative.pk),
        {
            "name": "Children ready for school at kindergarten (%)",
            "definition": "Share of children scoring ready on all EDI domains.",
            "unit": "percent",
            "decimal_places": "1",
            "direction": "up",
            "level": "population",
            "frequency": "annual",
            "change_warning_percent": "25",
            "aggregation": "pick",
            "disaggregation": "Neighbourhood: North End, Riverbend",
            "target_value": "75",
            "target_date": "2030-06-30",
        },
    )
    assert response.status_code == 302
    with scopes_disabled():
        indicator = Indicator.objects.get(name__startswith="Children ready")
        assert indicator.disaggregation == {"Neighbourhood": ["North End", "Riverbend"]}
        assert indicator.cells == ["", "Neighbourhood: North End", "Neighbourhood: Riverbend"]
        assert indicator.targets.get().value == Decimal("75")


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
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[1][:5] == ['\'=HYPERLINK("evil")', "2027-Q1", "Riverside Food Bank", "", "7.0000"]
    assert len(rows) == 2


def test_the_chart_is_served_as_svg(world, measures, login):
    DataPointFactory(
        indicator=measures.indicator, partner=measures.food_bank, status=Status.APPROVED
    )
    response = login(world.roundtable).get(
        url("indicator_chart", world, indicator_id=measures.indicator.pk)
    )
    assert response["Content-Type"] == "image/svg+xml"
    assert b'data-period="2027-Q1"' in response.content


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


def test_a_partner_exports_only_its_own_rows(world, measures, login):
    DataPointFactory(
        indicator=measures.indicator, partner=measures.food_bank, status=Status.APPROVED
    )
    DataPointFactory(indicator=measures.indicator, partner=measures.other, status=Status.APPROVED)
    response = login(world.partner).get(url("export", world, initiative_id=measures.initiative.pk))
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert [row[2] for row in rows[1:]] == ["Riverside Food Bank"]


def test_a_partner_posting_an_indicator_not_assigned_to_it_gets_a_message(world, measures, login):
    unassigned = IndicatorFactory(initiative=measures.initiative, name="Social assistance caseload")
    response = login(world.partner).post(
        entry_url(world, measures),
        {"period": "2027-Q1", f"v-{unassigned.pk}-0": "5000", "action": "submit"},
    )
    assert response.status_code == 422
    assert "was not asked to report some of these values" in response.content.decode()
    with scopes_disabled():
        assert not DataPoint.objects.exists()


def test_a_coordinator_enters_a_value_directly_recorded_as_such(world, measures, login):
    client = login(world.coordinator)
    target = entry_url(world, measures) + f"&partner={measures.other.pk}"
    page = client.get(target).content.decode()
    assert "Reporting for City of Riverside Social Services" in page
    response = client.post(
        target,
        {
            "period": "2027-Q1",
            "partner": measures.other.pk,
            f"v-{measures.indicator.pk}-0": "77",
            "action": "submit",
        },
    )
    assert response.status_code == 302
    with scopes_disabled():
        point = DataPoint.objects.get()
    assert (point.partner, point.status, point.entered_by_staff) == (
        measures.other,
        Status.APPROVED,
        True,
    )


def test_a_coordinator_writes_the_story_behind_the_curve(world, measures, login):
    client = login(world.coordinator)
    client.post(
        url("indicator_story", world, indicator_id=measures.indicator.pk),
        {"period": "2027-Q1", "text": "Rents rose faster than wages."},
    )
    page = login(world.roundtable).get(
        url("indicator_detail", world, indicator_id=measures.indicator.pk)
    )
    assert "Rents rose faster than wages." in page.content.decode()
    with scope(organization=world.org):
        from measures.selectors import curve_story

        assert curve_story(measures.indicator, "2027-Q1").text == "Rents rose faster than wages."


def test_a_coordinator_copies_an_indicator_from_the_library_into_another_initiative(
    world, measures, login
):
    TargetFactory(indicator=measures.indicator, value=Decimal("2900"))
    other = InitiativeFactory(organization=world.org, name="Ready for School")
    response = login(world.coordinator).post(
        url("indicator_copy", world, indicator_id=measures.indicator.pk), {"initiative": other.pk}
    )
    assert response.status_code == 302
    with scopes_disabled():
        copy = Indicator.objects.get(initiative=other)
        assert (copy.name, copy.definition) == (
            measures.indicator.name,
            measures.indicator.definition,
        )
        assert list(copy.targets.values_list("value", flat=True)) == [Decimal("2900")]
        assert not copy.data_points.exists()


def test_copying_into_another_organizations_initiative_is_a_404(world, measures, login):
    foreign = InitiativeFactory(organization=world.other_org)
    response = login(world.coordinator).post(
        url("indicator_copy", world, indicator_id=measures.indicator.pk), {"initiative": foreign.pk}
    )
    assert response.status_code == 404


def test_a_coordinator_asks_partners_for_every_period(world, measures, login):
    from ..stakeholders.factories import PartnerFactory

    health = PartnerFactory(organization=world.org, name="Riverside Public Health")
    login(world.coordinator).post(
        url("indicator_requests", world, indicator_id=measures.indicator.pk),
        {"partners": [health.pk], "due_days": "45"},
    )
    with scope(organization=world.org):
        request = measures.indicator.requests.get(partner=health)
        assert (request.period, request.due_days) == ("", 45)


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


def test_the_field_check_warns_about_a_big_jump_from_last_period(world, measures, login):
    DataPointFactory(
        indicator=measures.indicator,
        partner=measures.food_bank,
        period="2026-Q4",
        value=Decimal("100"),
    )
    response = login(world.partner).post(
        url("entry_check", world, initiative_id=measures.initiative.pk),
        {
            "field": f"v-{measures.indicator.pk}-0",
            f"v-{measures.indicator.pk}-0": "300",
            "period": "2027-Q1",
        },
        HTTP_HX_REQUEST="true",
    )
    assert "200% away from the previous period" in response.content.decode()


def test_a_coordinator_records_a_per_partner_exception(world, measures, login):
    login(world.coordinator).post(
        url("indicator_requests", world, indicator_id=measures.indicator.pk),
        {"partner": measures.food_bank.pk, "period": "2025-Q2", "excluded": "1"},
    )
    with scope(organization=world.org):
        from measures.selectors import is_requested

        assert not is_requested(measures.indicator, measures.food_bank, "2025-Q2")
        assert is_requested(measures.indicator, measures.food_bank, "2025-Q3")
        assert is_requested(measures.indicator, measures.other, "2025-Q2")


def test_a_coordinator_retires_an_indicator_and_it_leaves_the_dashboard(world, measures, login):
    client = login(world.coordinator)
    data = {
        "name": measures.indicator.name,
        "definition": "Households served at least once.",
        "unit": "number",
        "decimal_places": "0",
        "direction": "down",
        "level": "population",
        "frequency": "quarterly",
        "change_warning_percent": "25",
        "aggregation": "pick",
    }
    response = client.post(url("indicator_edit", world, indicator_id=measures.indicator.pk), data)
    assert response.status_code == 302
    measures.indicator.refresh_from_db()
    assert (measures.indicator.definition, measures.indicator.is_active) == (
        "Households served at least once.",
        False,
    )
    page = client.get(
        url("dashboard", world, initiative_id=measures.initiative.pk)
    ).content.decode()
    assert "Households served at least once." not in page


def test_a_coordinator_settles_conflicting_values_on_the_indicator_page(world, measures, login):
    DataPointFactory(
        indicator=measures.indicator,
        partner=measures.food_bank,
        value=Decimal("10"),
        status=Status.APPROVED,
    )
    DataPointFactory(
        indicator=measures.indicator,
        partner=measures.other,
        value=Decimal("14"),
        status=Status.APPROVED,
    )
    client = login(world.coordinator)
    page = client.get(
        url("indicator_detail", world, indicator_id=measures.indicator.pk)
    ).content.decode()
    assert "Partners report different values" in page
    assert "Use the sum" in page
    client.post(
        url("indicator_resolve", world, indicator_id=measures.indicator.pk),
        {"period": "2027-Q1", "method": "sum"},
    )
    page = client.get(
        url("indicator_detail", world, indicator_id=measures.indicator.pk)
    ).content.decode()
    assert "Settled: Sum of partners&#x27; values = 24" in page
