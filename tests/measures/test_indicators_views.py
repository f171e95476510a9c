"""Defining indicators and their page: targets, chart, requests, stories, conflicts."""

import re
from decimal import Decimal

from django.urls import reverse
from django_scopes import scope, scopes_disabled

from measures.models import DataPoint, Indicator

from ..initiatives.factories import InitiativeFactory
from .factories import DataPointFactory, TargetFactory

Status = DataPoint.Status


def url(name, world, **kwargs):
    return reverse(f"measures:{name}", kwargs={"org_slug": world.org.slug, **kwargs})


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


def test_the_chart_is_served_as_svg(world, measures, login):
    DataPointFactory(
        indicator=measures.indicator, partner=measures.food_bank, status=Status.APPROVED
    )
    response = login(world.roundtable).get(
        url("indicator_chart", world, indicator_id=measures.indicator.pk)
    )
    assert response["Content-Type"] == "image/svg+xml"
    assert b'data-period="2027-Q1"' in response.content


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


def edit_data(indicator, **changes) -> dict:
    """The indicator's edit form as posted, with `changes` (is_active left out: retired)."""
    return {
        "name": indicator.name,
        "unit": "number",
        "decimal_places": "0",
        "direction": "down",
        "level": "population",
        "frequency": "quarterly",
        "change_warning_percent": "25",
        "aggregation": "pick",
        **changes,
    }


def test_a_coordinator_retires_an_indicator_and_it_leaves_the_dashboard(world, measures, login):
    client = login(world.coordinator)
    data = edit_data(measures.indicator, definition="Households served at least once.")
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


def test_the_page_lists_a_few_periods_to_settle_first_and_counts_the_others(world, measures, login):
    from measures.views.indicators import CONFLICTS_SHOWN

    periods = [f"{year}-Q{q}" for year in (2025, 2026) for q in (1, 2, 3, 4)]
    for period in periods:
        for partner, value in ((measures.food_bank, "10"), (measures.other, "14")):
            DataPointFactory(
                indicator=measures.indicator,
                partner=partner,
                period=period,
                value=Decimal(value),
                status=Status.APPROVED,
            )
    client = login(world.coordinator)
    client.post(
        url("indicator_resolve", world, indicator_id=measures.indicator.pk),
        {"period": "2026-Q4", "method": "sum"},
    )
    page = client.get(
        url("indicator_detail", world, indicator_id=measures.indicator.pk)
    ).content.decode()
    shown = re.findall(r"<h3>(\d{4}-Q\d)</h3>", page)
    assert shown == ["2026-Q3", "2026-Q2", "2026-Q1"] == shown[:CONFLICTS_SHOWN]
    assert "5 more periods where partners' values differ" in page


def test_an_indicator_saved_over_a_change_made_meanwhile_is_refused(world, measures, login):
    target = url("indicator_edit", world, indicator_id=measures.indicator.pk)
    data = edit_data(measures.indicator, is_active="1")
    mine, theirs = login(world.coordinator), login(world.admin)
    seen = {}
    for who, client in (("mine", mine), ("theirs", theirs)):
        page = client.get(target).content.decode()
        seen[who] = re.search(r'name="seen" value="([0-9a-f]*)"', page).group(1)
    saved = theirs.post(target, {**data, "definition": "Theirs.", "seen": seen["theirs"]})
    assert saved.status_code == 302

    response = mine.post(target, {**data, "definition": "Mine.", "seen": seen["mine"]})

    assert response.status_code == 422
    assert "changed this since you opened the form" in response.content.decode()
    assert "Mine." in response.content.decode()
    measures.indicator.refresh_from_db()
    assert measures.indicator.definition == "Theirs."


def test_a_partners_value_is_picked_with_its_button_in_the_periods_form(world, measures, login):
    chosen = DataPointFactory(
        indicator=measures.indicator, partner=measures.other, status=Status.APPROVED
    )
    DataPointFactory(
        indicator=measures.indicator, partner=measures.food_bank, status=Status.APPROVED
    )
    client = login(world.coordinator)
    page = client.get(url("indicator_detail", world, indicator_id=measures.indicator.pk))
    button = f'<button type="submit" name="chosen" value="{chosen.pk}"'
    assert button in page.content.decode()
    # What the button sends: the form's period and method, and its own value.
    client.post(
        url("indicator_resolve", world, indicator_id=measures.indicator.pk),
        {"period": "2027-Q1", "method": "pick", "chosen": chosen.pk},
    )
    with scopes_disabled():
        assert measures.indicator.resolutions.get(period="2027-Q1").value == chosen.value


def test_the_reported_values_come_a_page_at_a_time_and_all_are_reached(world, measures, login):
    from measures.views.indicators import POINTS_PAGE_SIZE

    with scopes_disabled():
        DataPoint.objects.bulk_create(
            DataPoint(
                organization=world.org,
                indicator=measures.indicator,
                partner=measures.food_bank,
                period=f"{2000 + n // 4}-Q{n % 4 + 1}",
                value=Decimal(n),
                status=Status.SUBMITTED,
            )
            for n in range(POINTS_PAGE_SIZE + 7)
        )
    client = login(world.coordinator)
    target = url("indicator_detail", world, indicator_id=measures.indicator.pk)
    first = client.get(target).content.decode()
    rows = re.compile(r'<tr><td><a href="/o/riverside/measures/data/\d+/">')
    assert len(rows.findall(first)) == POINTS_PAGE_SIZE and "Page 1 of 2" in first
    last = client.get(target, {"page": 2}, headers={"HX-Request": "true"}).content.decode()
    assert len(rows.findall(last)) == 7 and "<h1>" not in last  # the table alone
    assert 'id="reported-values"' in last
