"""The one rule of where partner-level values may be shown (`measures.sharing`)."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django_scopes import scope

from measures.models import AgreementKind, AgreementStatus, SharingPermission
from measures.sharing import (
    partner_values,
    partner_values_allowed,
    partner_values_allowed_pairs,
    uncovered_requests,
)

from .factories import AgreementFactory, DataPointFactory, IndicatorFactory

TODAY = datetime.date(2027, 3, 1)


def agreement(measures, **kwargs):
    return AgreementFactory(
        initiative=measures.initiative,
        parties=kwargs.pop("parties", [measures.food_bank]),
        indicators=kwargs.pop("indicators", [measures.indicator]),
        **kwargs,
    )


def allowed(world, measures, *, public: bool, partner=None) -> bool:
    with scope(organization=world.org):
        return partner_values_allowed(
            measures.indicator, partner or measures.food_bank, public=public, today=TODAY
        )


def test_without_an_agreement_nothing_is_allowed(world, measures):
    assert not allowed(world, measures, public=False)
    assert not allowed(world, measures, public=True)


@pytest.mark.parametrize(
    ("permission", "internal", "public"),
    [
        (SharingPermission.INTERNAL, True, False),
        (SharingPermission.AGGREGATE, True, False),
        (SharingPermission.PER_PARTNER, True, True),
    ],
)
def test_what_a_signed_agreement_allows(world, measures, permission, internal, public):
    agreement(measures, permission=permission)
    assert allowed(world, measures, public=False) is internal
    assert allowed(world, measures, public=True) is public
    # Only for its parties.
    assert not allowed(world, measures, public=False, partner=measures.other)


@pytest.mark.parametrize(
    "kwargs",
    [
        {"status": AgreementStatus.DRAFT},
        {"status": AgreementStatus.ENDED},
        {"expires_on": TODAY - datetime.timedelta(days=1)},
        {"signed_on": TODAY + datetime.timedelta(days=1)},
        {"kind": AgreementKind.MOU},
    ],
    ids=["draft", "ended", "expired", "signed-later", "not-data-sharing"],
)
def test_an_agreement_not_in_force_allows_nothing(world, measures, kwargs):
    agreement(measures, **kwargs)
    assert not allowed(world, measures, public=False)


def test_it_still_counts_on_its_last_day(world, measures):
    agreement(measures, expires_on=TODAY)
    assert allowed(world, measures, public=True)


def test_an_agreement_on_another_indicator_allows_nothing_here(world, measures):
    other = IndicatorFactory(initiative=measures.initiative)
    agreement(measures, indicators=[other])
    assert not allowed(world, measures, public=False)


def test_the_bulk_form_answers_many_pairs_in_one_query(world, measures):
    indicators = [IndicatorFactory(initiative=measures.initiative) for _ in range(5)]
    agreement(measures, indicators=indicators[:3], parties=[measures.food_bank, measures.other])
    pairs = [(i.pk, p.pk) for i in indicators for p in (measures.food_bank, measures.other)]
    with scope(organization=world.org), CaptureQueriesContext(connection) as queries:
        found = partner_values_allowed_pairs(pairs, public=True, today=TODAY)
    assert len(queries) == 1
    assert found == {
        (i.pk, p.pk) for i in indicators[:3] for p in (measures.food_bank, measures.other)
    }


def test_partner_values_split_what_is_shown_from_what_is_hidden(world, measures):
    agreement(measures)  # the food bank allows publishing per partner, the other does not
    for partner, value in ((measures.food_bank, "12"), (measures.other, "30")):
        DataPointFactory(
            indicator=measures.indicator,
            partner=partner,
            period="2027-Q1",
            value=Decimal(value),
            status="approved",
        )
    with scope(organization=world.org):
        values = partner_values({measures.indicator.pk: "2027-Q1"}, public=True, today=TODAY)
    found = values[measures.indicator.pk]
    assert [(p.name, v) for p, v in found.shown] == [("Riverside Food Bank", Decimal("12"))]
    assert found.hidden == 1
    assert "no data-sharing agreement allows publishing them" in found.hidden_reason


def test_requests_without_an_agreement_in_force_are_flagged(world, measures):
    agreement(measures, permission=SharingPermission.INTERNAL)
    with scope(organization=world.org):
        found = uncovered_requests([measures.indicator], today=TODAY)
    assert [(u.indicator_id, u.partner_name) for u in found] == [
        (measures.indicator.pk, "City of Riverside Social Services")
    ]
