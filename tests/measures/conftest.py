import datetime
from dataclasses import dataclass

import pytest

from tests.initiatives.factories import InitiativeFactory, InitiativePartnerFactory
from tests.stakeholders.factories import PartnerFactory, PartnerMembershipFactory

from .factories import DataRequestFactory, IndicatorFactory


@dataclass
class Measures:
    initiative: object
    indicator: object
    food_bank: object  # the world's partner user reports for it
    other: object  # another partner of the same initiative


@pytest.fixture
def measures(world) -> Measures:
    """An initiative with a quarterly indicator that two partners are asked to report."""
    initiative = InitiativeFactory(
        organization=world.org,
        name="Poverty Reduction Roundtable",
        start_date=datetime.date(2025, 1, 15),
    )
    food_bank = PartnerFactory(organization=world.org, name="Riverside Food Bank")
    other = PartnerFactory(organization=world.org, name="City of Riverside Social Services")
    PartnerMembershipFactory(membership=world.membership(world.partner), partner=food_bank)
    for partner in (food_bank, other):
        InitiativePartnerFactory(initiative=initiative, partner=partner)
    indicator = IndicatorFactory(
        initiative=initiative, name="Households using the food bank", frequency="quarterly"
    )
    for partner in (food_bank, other):
        DataRequestFactory(indicator=indicator, partner=partner)
    return Measures(initiative=initiative, indicator=indicator, food_bank=food_bank, other=other)
