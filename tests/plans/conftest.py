import pytest

from ..initiatives.factories import InitiativeFactory


@pytest.fixture
def initiative(world):
    """The riverside initiative a plan or report card is about."""
    return InitiativeFactory(organization=world.org, name="Poverty Reduction Roundtable")
