from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django_scopes import scope

from measures import services
from measures.models import DataPoint
from measures.selectors import approved_series

Status = DataPoint.Status


def save(measures, user, value, **kwargs):
    kwargs.setdefault("partner", measures.food_bank)
    kwargs.setdefault("period", "2026-Q1")
    return services.data_point_save(indicator=measures.indicator, value=value, user=user, **kwargs)


def history(point):
    return [
        (c.old_value, c.new_value, c.old_status, c.new_status, c.comment, c.actor_id)
        for c in point.changes.all()
    ]


def test_draft_then_submit_then_approve_is_kept_in_history(world, measures):
    with scope(organization=world.org):
        point = save(measures, world.partner, "120")
        assert point.status == Status.DRAFT
        point = save(measures, world.partner, "125", submit=True, comment="Q1 count")
        assert point.status == Status.SUBMITTED
        point = services.data_point_approve(data_point=point, user=world.coordinator)
        assert point.status == Status.APPROVED
        assert history(point) == [
            (None, Decimal("120"), "", "draft", "", world.partner.pk),
            (Decimal("120"), Decimal("125"), "draft", "submitted", "Q1 count", world.partner.pk),
            (Decimal("125"), Decimal("125"), "submitted", "approved", "", world.coordinator.pk),
        ]


def test_a_returned_value_carries_its_reason_and_can_be_corrected(world, measures):
    with scope(organization=world.org):
        point = save(measures, world.partner, "120", submit=True)
        point = services.data_point_return(
            data_point=point, user=world.coordinator, reason="Count households, not people"
        )
        assert (point.status, point.return_reason) == (
            Status.RETURNED,
            "Count households, not people",
        )
        point = save(measures, world.partner, "118", submit=True, expected_version=point.version)
        assert point.status == Status.SUBMITTED
        assert [c.new_status for c in point.changes.all()] == ["submitted", "returned", "submitted"]


def test_returning_needs_a_reason(world, measures):
    with scope(organization=world.org):
        point = save(measures, world.partner, "120", submit=True)
        with pytest.raises(ValidationError):
            services.data_point_return(data_point=point, user=world.coordinator, reason=" ")
        point.refresh_from_db()
        assert point.status == Status.SUBMITTED


def test_only_submitted_values_can_be_approved(world, measures):
    with scope(organization=world.org):
        point = save(measures, world.partner, "120")
        with pytest.raises(ValidationError):
            services.data_point_approve(data_point=point, user=world.coordinator)


def test_a_stale_form_never_overwrites_approved_data(world, measures):
    with scope(organization=world.org):
        point = save(measures, world.partner, "120", submit=True)
        loaded_version = point.version
        services.data_point_approve(data_point=point, user=world.coordinator)
        with pytest.raises(ValidationError, match="approved already"):
            save(measures, world.partner, "999", submit=True, expected_version=loaded_version)
        point.refresh_from_db()
        assert (point.value, point.status) == (Decimal("120"), Status.APPROVED)


def test_a_form_loaded_before_another_change_is_refused(world, measures):
    with scope(organization=world.org):
        point = save(measures, world.partner, "120")
        save(measures, world.partner, "121", expected_version=point.version)
        with pytest.raises(ValidationError, match="Someone changed this value"):
            save(measures, world.partner, "122", expected_version=point.version)


def test_a_form_opened_before_the_first_value_is_refused_once_someone_entered_it(world, measures):
    with scope(organization=world.org):
        save(measures, world.partner, "120", submit=True, expected_version=0)
        with pytest.raises(ValidationError, match="Someone changed this value"):
            save(measures, world.coordinator, "50", by_staff=True, expected_version=0)
        point = DataPoint.objects.get()
        assert (point.value, point.status) == (Decimal("120"), Status.SUBMITTED)


def test_a_partner_cannot_submit_an_indicator_not_assigned_to_it(world, measures):
    from tests.stakeholders.factories import PartnerFactory

    stranger = PartnerFactory(organization=world.org, name="Riverside Public Health")
    with scope(organization=world.org), pytest.raises(ValidationError, match="not asked"):
        save(measures, world.partner, "10", partner=stranger)


def test_a_period_that_does_not_exist_is_refused(world, measures):
    with (
        scope(organization=world.org),
        pytest.raises(ValidationError, match="not a reporting period"),
    ):
        save(measures, world.partner, "10", period="2026-Q5")


def test_a_per_partner_exception_stops_one_period(world, measures):
    with scope(organization=world.org):
        services.data_request_except(
            indicator=measures.indicator, partner=measures.food_bank, period="2026-Q2"
        )
        with pytest.raises(ValidationError, match="not asked"):
            save(measures, world.partner, "10", period="2026-Q2")
        assert save(measures, world.partner, "10", period="2026-Q3").status == Status.DRAFT


def test_a_big_jump_needs_a_confirming_comment(world, measures):
    with scope(organization=world.org):
        save(measures, world.partner, "100", period="2025-Q4", submit=True)
        with pytest.raises(ValidationError) as raised:
            save(measures, world.partner, "300", submit=True)
        assert raised.value.error_list[0].code == "needs_confirmation"
        assert not DataPoint.objects.filter(period="2026-Q1").exists()
        point = save(
            measures, world.partner, "300", submit=True, confirmed=True, comment="New site opened"
        )
        assert point.value == Decimal("300")


def test_a_coordinator_entry_is_approved_and_recorded_as_such(world, measures):
    with scope(organization=world.org):
        point = save(measures, world.coordinator, "50", by_staff=True)
        assert (point.status, point.entered_by_staff) == (Status.APPROVED, True)
        assert point.changes.get().comment == "Entered by the backbone"


def test_bulk_approval_approves_only_submitted_values_in_one_go(world, measures):
    with scope(organization=world.org):
        submitted = [
            save(measures, world.partner, "10", period=f"2025-Q{q}", submit=True) for q in (1, 2, 3)
        ]
        draft = save(measures, world.partner, "10", period="2025-Q4")
        count = services.data_points_approve(
            organization=world.org, ids=[p.pk for p in [*submitted, draft]], user=world.coordinator
        )
        assert count == 3
        draft.refresh_from_db()
        assert draft.status == Status.DRAFT
        assert [p.key for p, _ in approved_series(measures.indicator)] == [
            "2025-Q1",
            "2025-Q2",
            "2025-Q3",
        ]


def test_bulk_approval_ignores_another_organizations_values(world, measures):
    from .factories import DataPointFactory

    foreign = DataPointFactory(indicator__initiative__organization=world.other_org)
    with scope(organization=world.org):
        assert (
            services.data_points_approve(
                organization=world.org, ids=[foreign.pk], user=world.coordinator
            )
            == 0
        )
    foreign.refresh_from_db()
    assert foreign.status == Status.SUBMITTED
