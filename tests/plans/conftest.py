import pytest

from ..initiatives.factories import InitiativeFactory
from .factories import NewsletterFactory, NewsletterItemFactory


@pytest.fixture
def initiative(world):
    """The riverside initiative a plan or report card is about."""
    return InitiativeFactory(organization=world.org, name="Poverty Reduction Roundtable")


@pytest.fixture
def issue(world):
    """A riverside newsletter issue with one item, ready to send."""
    newsletter = NewsletterFactory(organization=world.org)
    NewsletterItemFactory(newsletter=newsletter)
    return newsletter
