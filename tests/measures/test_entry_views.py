"""The entry form: partners (and the backbone for them) enter a period's values."""

from decimal import Decimal

from django.urls import reverse
from django_scopes import scopes_disabled

from measures.models import DataPoint

from .factories import DataPointFactory, DataRequestFactory, IndicatorFactory

Status = DataPoint.Status


def url(name, world, **kwargs):
    return reverse(f"measures:{name}", kwargs={"org_slug": world.org.slug, **kwargs})


def entry_url(world, measures, period="2026-Q1"):
    return url("entry", world, initiative_id=measures.initiative.pk) + f"?period={period}"


def test_a_partner_submits_a_period_in_one_form(world, measures, login):
    response = login(world.partner).post(
        entry_url(world, measures),
        {"period": "2026-Q1", f"v-{measures.indicator.pk}-0": "1,250", "action": "submit"},
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
            "period": "2026-Q1",
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
        period="2026-Q1",
        value=Decimal("10"),
        status=Status.APPROVED,
    )
    response = login(world.partner).post(
        entry_url(world, measures),
        {
            "period": "2026-Q1",
            f"v-{measures.indicator.pk}-0": "99",
            f"ver-{measures.indicator.pk}-0": "1",
            "action": "submit",
        },
    )
    assert response.status_code == 302  # the approved value is shown locked, not overwritten
    point.refresh_from_db()
    assert (point.value, point.status) == (Decimal("10"), Status.APPROVED)


def test_a_first_value_entered_meanwhile_is_not_overwritten_by_a_stale_staff_form(
    world, measures, login
):
    client = login(world.coordinator)
    target = entry_url(world, measures) + f"&partner={measures.food_bank.pk}"
    page = client.get(target).content.decode()
    assert f'name="ver-{measures.indicator.pk}-0" value="0"' in page
    DataPointFactory(
        indicator=measures.indicator,
        partner=measures.food_bank,
        period="2026-Q1",
        value=Decimal("10"),
        status=Status.SUBMITTED,
    )
    response = client.post(
        target,
        {
            "period": "2026-Q1",
            "partner": measures.food_bank.pk,
            f"v-{measures.indicator.pk}-0": "77",
            f"ver-{measures.indicator.pk}-0": "0",
            "action": "submit",
        },
    )
    assert response.status_code == 422
    page = response.content.decode()
    assert "Someone changed this value" in page
    assert "Saved now: <strong>10</strong>" in page  # the partner's value, beside the typed 77
    assert 'value="77"' in page
    with scopes_disabled():
        point = DataPoint.objects.get()
    assert (point.value, point.status) == (Decimal("10"), Status.SUBMITTED)


def test_a_roundtable_member_reads_but_cannot_submit(world, measures, login):
    client = login(world.roundtable)
    assert (
        client.get(url("dashboard", world, initiative_id=measures.initiative.pk)).status_code == 200
    )
    assert client.get(entry_url(world, measures)).status_code == 403


def test_a_partner_posting_an_indicator_not_assigned_to_it_gets_a_message(world, measures, login):
    unassigned = IndicatorFactory(initiative=measures.initiative, name="Social assistance caseload")
    response = login(world.partner).post(
        entry_url(world, measures),
        {"period": "2026-Q1", f"v-{unassigned.pk}-0": "5000", "action": "submit"},
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
            "period": "2026-Q1",
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


def test_the_field_check_warns_about_a_big_jump_from_last_period(world, measures, login):
    DataPointFactory(
        indicator=measures.indicator,
        partner=measures.food_bank,
        period="2025-Q4",
        value=Decimal("100"),
    )
    response = login(world.partner).post(
        url("entry_check", world, initiative_id=measures.initiative.pk),
        {
            "field": f"v-{measures.indicator.pk}-0",
            f"v-{measures.indicator.pk}-0": "300",
            "period": "2026-Q1",
        },
        HTTP_HX_REQUEST="true",
    )
    assert "200% away from the previous period" in response.content.decode()


def test_values_of_a_period_that_has_not_started_are_refused(world, measures, login):
    response = login(world.partner).post(
        entry_url(world, measures, "2027-Q1"),
        {"period": "2027-Q1", f"v-{measures.indicator.pk}-0": "40", "action": "submit"},
    )
    assert response.status_code == 422
    assert "2027-Q1 has not started yet" in response.content.decode()
    with scopes_disabled():
        assert not DataPoint.objects.exists()


def test_a_fraction_is_refused_for_a_count(world, measures, login):
    response = login(world.partner).post(
        entry_url(world, measures),
        {"period": "2026-Q1", f"v-{measures.indicator.pk}-0": "12.5", "action": "submit"},
    )
    assert response.status_code == 422
    assert "This is a count: enter a whole number" in response.content.decode()


def test_the_jump_check_falls_back_to_the_last_approved_value_when_the_last_was_returned(
    world, measures, login
):
    for period, value, status in (
        ("2025-Q3", "100", Status.APPROVED),
        ("2025-Q4", "5", Status.RETURNED),
    ):
        DataPointFactory(
            indicator=measures.indicator, partner=measures.food_bank, period=period,
            value=Decimal(value), status=status,
        )  # fmt: skip
    client = login(world.partner)
    response = client.post(
        entry_url(world, measures),
        {"period": "2026-Q1", f"v-{measures.indicator.pk}-0": "300", "action": "submit"},
    )
    assert response.status_code == 422
    html = response.content.decode()
    assert "200% away from the last approved value (2025-Q3: 100)" in html
    assert "Last approved: 100 (2025-Q3)" in html  # shown beside the field


def test_the_confirm_checkbox_stays_ticked_when_the_form_comes_back_with_errors(
    world, measures, login
):
    second = IndicatorFactory(initiative=measures.initiative, name="Children ready (%)", unit="percent")  # fmt: skip
    DataRequestFactory(indicator=second, partner=measures.food_bank)
    DataPointFactory(
        indicator=measures.indicator, partner=measures.food_bank, period="2025-Q4",
        value=Decimal("100"), status=Status.APPROVED,
    )  # fmt: skip
    response = login(world.partner).post(
        entry_url(world, measures),
        {
            "period": "2026-Q1",
            f"v-{measures.indicator.pk}-0": "300",
            f"ok-{measures.indicator.pk}": "1",
            f"v-{second.pk}-0": "140",  # another value's error brings the form back
            "action": "submit",
        },
    )
    assert response.status_code == 422
    assert f'name="ok-{measures.indicator.pk}" value="1" checked' in response.content.decode()


def test_a_breakdown_that_does_not_add_up_to_its_total_is_flagged(world, measures, login):
    indicator = measures.indicator
    indicator.disaggregation = {"Age group": ["0–17", "18+"]}
    indicator.save()
    client = login(world.partner)
    response = client.post(
        entry_url(world, measures),
        {
            "period": "2026-Q1",
            f"v-{indicator.pk}-0": "100",
            f"v-{indicator.pk}-1": "30",
            f"v-{indicator.pk}-2": "30",
            "action": "draft",
        },
    )
    assert response.status_code == 302
    page = client.get(entry_url(world, measures)).content.decode()
    assert "The breakdown does not add up to the total" in page
    client.post(
        entry_url(world, measures),
        {"period": "2026-Q1", f"v-{indicator.pk}-2": "70", "action": "draft"},
    )
    assert "does not add up" not in client.get(entry_url(world, measures)).content.decode()
