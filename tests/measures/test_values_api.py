"""The API's data values: a partner saves, changes and submits its values, staff approve and
return them — through the entry form's services, with its checks, versions and workflow."""

from decimal import Decimal

import pytest
from django_scopes import scopes_disabled

from measures.models import DataPoint, DataPointChange
from tests.api import api_as

from .factories import DataPointFactory, IndicatorFactory

pytestmark = pytest.mark.django_db
PERIOD = "2026-Q3"


def _point(pk):
    with scopes_disabled():
        return DataPoint.objects.get(pk=pk)


def test_a_partner_saves_a_draft_changes_it_and_submits_it_then_staff_approve(world, measures):
    partner = api_as(world.partner, world.org)
    created = partner.post(
        "/api/v1/values/",
        {"indicator": measures.indicator.pk, "period": PERIOD, "value": "120"},
    )
    assert created.status_code == 201, created.json()
    value = created.json()
    assert (value["status"], value["value"], value["version"]) == ("draft", "120.0000", 1)
    assert value["partner"] == measures.food_bank.pk

    changed = partner.patch(
        f"/api/v1/values/{value['id']}/", {"value": "125", "version": 1, "submit": False}
    )
    assert changed.status_code == 200, changed.json()
    assert (changed.json()["value"], changed.json()["version"]) == ("125.0000", 2)

    submitted = partner.post(f"/api/v1/values/{value['id']}/submit/", {"version": 2})
    assert submitted.status_code == 200, submitted.json()
    assert submitted.json()["status"] == "submitted"

    coordinator = api_as(world.coordinator, world.org)
    approved = coordinator.post(f"/api/v1/values/{value['id']}/approve/", {"version": 3})
    assert approved.status_code == 200, approved.json()
    assert _point(value["id"]).status == "approved"
    with scopes_disabled():
        statuses = list(
            DataPointChange.objects.filter(data_point_id=value["id"])
            .order_by("pk")
            .values_list("new_status", flat=True)
        )
    assert statuses == ["draft", "draft", "submitted", "approved"]

    # Approved: locked for the partner, as on the entry form.
    locked = partner.patch(f"/api/v1/values/{value['id']}/", {"value": "1", "version": 4})
    assert locked.status_code == 400
    assert "approved" in locked.json()["error"]["message"]
    assert _point(value["id"]).value == Decimal("125")


def test_a_stale_version_is_a_409_and_changes_nothing(world, measures):
    point = DataPointFactory(
        indicator=measures.indicator, partner=measures.food_bank, period=PERIOD, status="draft"
    )
    partner = api_as(world.partner, world.org)
    answer = partner.patch(f"/api/v1/values/{point.pk}/", {"value": "99", "version": 7})
    assert answer.status_code == 409
    assert answer.json()["error"]["code"] == "stale"
    assert _point(point.pk).value == Decimal("10")
    # Creating over an existing value is a conflict too: it is changed with PATCH.
    again = partner.post(
        "/api/v1/values/", {"indicator": measures.indicator.pk, "period": PERIOD, "value": "5"}
    )
    assert again.status_code == 409
    assert _point(point.pk).value == Decimal("10")


def test_the_entry_forms_checks_refuse_a_bad_value_in_one_json_shape(world, measures):
    partner = api_as(world.partner, world.org)
    answer = partner.post(
        "/api/v1/values/",
        {"indicator": measures.indicator.pk, "period": PERIOD, "value": "lots"},
    )
    assert answer.status_code == 400
    error = answer.json()["error"]
    assert set(error) == {"status", "code", "message", "fields"}
    assert error["status"] == 400 and error["message"]
    not_started = partner.post(
        "/api/v1/values/",
        {"indicator": measures.indicator.pk, "period": "2027-Q1", "value": "3"},
    )
    assert not_started.status_code == 400
    assert "not started" in not_started.json()["error"]["message"]
    with scopes_disabled():
        assert not DataPoint.objects.exists()


def test_a_big_jump_is_refused_until_confirmed_with_a_comment(world, measures):
    DataPointFactory(
        indicator=measures.indicator, partner=measures.food_bank, period="2026-Q2", value=100
    )
    partner = api_as(world.partner, world.org)
    value = {"indicator": measures.indicator.pk, "period": PERIOD, "value": "400"}
    refused = partner.post("/api/v1/values/", value)
    assert refused.status_code == 400
    assert refused.json()["error"]["code"] == "needs_confirmation"
    confirmed = partner.post(
        "/api/v1/values/", {**value, "confirmed": True, "comment": "A new site opened."}
    )
    assert confirmed.status_code == 201, confirmed.json()
    assert confirmed.json()["comment"] == "A new site opened."


def test_a_partner_not_asked_for_an_indicator_cannot_report_it(world, measures):
    unasked = IndicatorFactory(initiative=measures.initiative, frequency="quarterly")
    answer = api_as(world.partner, world.org).post(
        "/api/v1/values/", {"indicator": unasked.pk, "period": PERIOD, "value": "3"}
    )
    assert answer.status_code == 400
    assert "not asked" in answer.json()["error"]["message"]


def test_staff_return_a_submitted_value_with_a_reason_and_the_partner_sees_it(world, measures):
    point = DataPointFactory(
        indicator=measures.indicator, partner=measures.food_bank, period=PERIOD
    )
    coordinator = api_as(world.coordinator, world.org)
    no_reason = coordinator.post(f"/api/v1/values/{point.pk}/return/", {"reason": ""})
    assert no_reason.status_code == 400
    returned = coordinator.post(
        f"/api/v1/values/{point.pk}/return/", {"reason": "Count households, not visits."}
    )
    assert returned.status_code == 200
    seen = api_as(world.partner, world.org).get(f"/api/v1/values/{point.pk}/").json()
    assert (seen["status"], seen["return_reason"]) == ("returned", "Count households, not visits.")
    # Only a submitted value can be approved.
    assert coordinator.post(f"/api/v1/values/{point.pk}/approve/").status_code == 400


def test_staff_do_not_enter_values_through_the_api_and_partners_do_not_approve(world, measures):
    coordinator = api_as(world.coordinator, world.org)
    answer = coordinator.post(
        "/api/v1/values/", {"indicator": measures.indicator.pk, "period": PERIOD, "value": "3"}
    )
    assert answer.status_code == 403
    point = DataPointFactory(
        indicator=measures.indicator, partner=measures.food_bank, period=PERIOD
    )
    refused = api_as(world.partner, world.org).post(f"/api/v1/values/{point.pk}/approve/")
    assert refused.status_code == 403
    assert _point(point.pk).status == "submitted"


def test_the_values_of_an_archived_initiative_are_frozen(world, measures, clock):
    draft = DataPointFactory(
        indicator=measures.indicator, partner=measures.food_bank, period="2026-Q2", status="draft"
    )
    submitted = DataPointFactory(
        indicator=measures.indicator, partner=measures.other, period="2026-Q2"
    )
    measures.initiative.archived_at = measures.initiative.created_at
    measures.initiative.save()
    partner = api_as(world.partner, world.org)
    created = partner.post(
        "/api/v1/values/", {"indicator": measures.indicator.pk, "period": PERIOD, "value": "3"}
    )
    changed = partner.patch(f"/api/v1/values/{draft.pk}/", {"value": "11", "version": 1})
    approved = api_as(world.admin, world.org).post(f"/api/v1/values/{submitted.pk}/approve/")
    assert [created.status_code, changed.status_code, approved.status_code] == [403, 403, 403]
    assert _point(draft.pk).value == Decimal("10") and _point(submitted.pk).status == "submitted"
    # Still readable, as on the pages.
    assert partner.get(f"/api/v1/values/{draft.pk}/").status_code == 200
