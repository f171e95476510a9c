import pytest

from .factories import InitiativeFactory


@pytest.fixture
def initiative(world):
    """A bare initiative of the world's organization (no readiness matrix, no deliverables);
    the page tests take one made by the service instead (`helpers.seeded_initiative`)."""
    return InitiativeFactory(organization=world.org, name="Poverty Reduction Roundtable 2027")
