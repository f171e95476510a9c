"""The report card shows a partner's own values only where a data-sharing agreement allows
publishing them, and says why the others are hidden (`measures.sharing`)."""

import datetime

import pytest
from django.utils.html import escape

from measures.models import SharingPermission

from ..measures.factories import AgreementFactory, two_reporting_partners
from .factories import ReportCardFactory

BASE = "/o/riverside/plans"
HIDDEN = "Values per partner are hidden: no data-sharing agreement allows publishing them."


@pytest.fixture
def card_with_two_partners(world, initiative):
    indicator, _points, (food_bank, housing) = two_reporting_partners(
        initiative, period="2026-Q1", status="approved"
    )
    card = ReportCardFactory(initiative=initiative, period="2026-H1")
    return card, indicator, food_bank, housing


def card_page(world, login, card) -> str:
    response = login(world.coordinator).get(f"{BASE}/report-cards/{card.pk}/")
    assert response.status_code == 200
    return response.content.decode()


def test_without_an_agreement_the_card_shows_the_aggregate_only_and_says_why(
    world, login, card_with_two_partners
):
    card, *_rest = card_with_two_partners
    page = card_page(world, login, card)
    assert escape(HIDDEN) in page
    assert "1,234" not in page and "5,678" not in page
    assert "By partner" not in page
    assert "6,912" in page  # the sum of both


def test_an_agreement_allowing_publication_shows_that_partners_values(
    world, login, card_with_two_partners
):
    card, indicator, food_bank, _housing = card_with_two_partners
    AgreementFactory(
        initiative=card.initiative,
        parties=[food_bank],
        indicators=[indicator],
        permission=SharingPermission.PER_PARTNER,
        signed_on=datetime.date(2026, 1, 1),
    )
    page = card_page(world, login, card)
    assert "Riverside Food Bank 1,234" in page
    assert "5,678" not in page  # the housing co-op signed nothing
    assert escape(HIDDEN) in page and "1 partner not shown" in page


def test_an_agreement_for_internal_use_only_does_not_publish(world, login, card_with_two_partners):
    card, indicator, food_bank, housing = card_with_two_partners
    AgreementFactory(
        initiative=card.initiative,
        parties=[food_bank, housing],
        indicators=[indicator],
        permission=SharingPermission.INTERNAL,
        signed_on=datetime.date(2026, 1, 1),
    )
    page = card_page(world, login, card)
    assert "1,234" not in page and escape(HIDDEN) in page
