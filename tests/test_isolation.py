"""Every URL under /o/<org_slug>/ is walked for every kind of stranger.

A new URL pattern joins these tests by itself. If it takes an object id the
test does not know how to make, `test_every_object_kwarg_can_be_filled` fails
until a maker is added to the OBJECT_MAKERS of `tests/<app>/isolation.py`:
isolation stays tested as the app grows.
"""

import pytest
from django.urls import reverse

from backbone.models import Organization
from backbone.urlwalk import organization_urls

from .isolation import OBJECT_MAKERS

URLS = organization_urls()
URLS_WITH_OBJECTS = [(name, kwargs) for name, kwargs in URLS if kwargs]


def fill(name, kwargs, *, slug_of: Organization, objects_of: Organization) -> str:
    values = {k: OBJECT_MAKERS[k](objects_of) for k in kwargs}
    return reverse(name, kwargs={"org_slug": slug_of.slug, **values})


def test_the_walk_finds_the_organization_urls():
    names = {name for name, _ in URLS}
    assert {"organization_home", "members", "member_role", "initiatives:index"} <= names


def test_every_object_kwarg_can_be_filled():
    missing = {k for _, kwargs in URLS for k in kwargs if k not in OBJECT_MAKERS}
    assert not missing, f"Add makers to OBJECT_MAKERS in tests/<app>/isolation.py for: {missing}"


@pytest.mark.parametrize(("name", "kwargs"), URLS, ids=[n for n, _ in URLS])
def test_a_member_of_another_organization_gets_404(world, login, name, kwargs):
    url = fill(name, kwargs, slug_of=world.org, objects_of=world.org)
    client = login(world.outsider)
    assert client.get(url).status_code == 404, url
    assert client.post(url).status_code == 404, url


@pytest.mark.parametrize(("name", "kwargs"), URLS, ids=[n for n, _ in URLS])
def test_an_anonymous_visitor_is_sent_to_log_in(world, client, name, kwargs):
    url = fill(name, kwargs, slug_of=world.org, objects_of=world.org)
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


@pytest.mark.parametrize(
    ("name", "kwargs"), URLS_WITH_OBJECTS, ids=[n for n, _ in URLS_WITH_OBJECTS]
)
def test_another_organizations_object_ids_give_404_in_ones_own(world, login, name, kwargs):
    # The outsider is admin of their own organization (every right there) and
    # reaches for the victim organization's objects through their own URLs.
    url = fill(name, kwargs, slug_of=world.other_org, objects_of=world.org)
    client = login(world.outsider)
    statuses = {client.get(url).status_code, client.post(url).status_code}
    assert 404 in statuses, (url, statuses)
    assert statuses <= {404, 405}, (url, statuses)
