"""The pages of the isolation walk as each role sees them, for the whole-tree checks of
standards: the Nu HTML checker (`tests/test_html_validity.py`) and axe-core in Chromium
(`tests/e2e/test_axe_walk.py`). Objects are made by the isolation makers, in the viewer's
own organization; a page that answers anything but 200 HTML to a GET is not a page."""

from collections.abc import Callable, Iterator
from dataclasses import dataclass

from .plans.isolation import public_scorecard_pages
from .test_isolation import URLS, fill

# The roles the standards walks render every page as: the one who sees everything, and
# the one who sees the least (their partner's own things).
WALK_ROLES = ("admin", "partner")


@dataclass(frozen=True)
class WalkedPage:
    role: str
    name: str  # the URL's namespaced name: the page kind
    url: str
    body: str


def walk_urls(world) -> list[tuple[str, str]]:
    """(page kind, URL) of every organization URL, its objects made in `world.org`."""
    return [
        (name, fill(name, kwargs, slug_of=world.org, objects_of=world.org)) for name, kwargs in URLS
    ]


def html_pages(world, client_for: Callable) -> Iterator[WalkedPage]:
    """Every GET of the walk that answers 200 with HTML, as each role of WALK_ROLES."""
    for role in WALK_ROLES:
        client = client_for(getattr(world, role))
        for name, url in walk_urls(world):
            response = client.get(url)
            if response.status_code == 200 and response["Content-Type"].startswith("text/html"):
                yield WalkedPage(role, name, url, response.content.decode())


def public_pages(world, client) -> Iterator[WalkedPage]:
    """The pages anyone reads without an account (a published scorecard and its
    embeddable chart), as `client` (not signed in) sees them."""
    for name, url in public_scorecard_pages(world.org):
        response = client.get(url)
        assert response.status_code == 200, url
        yield WalkedPage("anonymous", name, url, response.content.decode())
