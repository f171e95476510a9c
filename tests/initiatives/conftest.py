import pytest

from .helpers import seeded_initiative


@pytest.fixture
def initiative(world):
    """An initiative of the world's organization made by the service, with its readiness
    matrix and five deliverables (test modules may make their own instead)."""
    return seeded_initiative(world)
