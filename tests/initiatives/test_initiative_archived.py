"""An archived initiative stays readable and refuses every write — on its own URLs and on
those of everything that belongs to it — except Restore.

The walk takes every URL of the NAMESPACES below that carries an object id (an
initiative's pages carry `initiative_id`, its rows their own id), makes the objects with
the isolation makers, archives every initiative of the organization, and asks as a
coordinator (who may write anywhere else). An app whose objects live in an initiative
joins the walk by adding its namespace.
"""

import pytest
from django.apps import apps
from django.urls import reverse
from django.utils import timezone
from django_scopes import scopes_disabled

from initiatives.models import InInitiative, Initiative

from ..test_isolation import OBJECT_MAKERS, organization_urls
from .test_initiative_permissions import READ_ONLY

NAMESPACES = ["initiatives"]
# The one write an archived initiative takes: it comes back.
RESTORE = {"initiatives:archive"}

URLS = [
    (name, kwargs)
    for name, kwargs in organization_urls()
    if name.split(":")[0] in NAMESPACES and kwargs
]


def archived_url(world, name: str, kwargs: list[str]) -> str:
    """The URL with objects of the world's organization, all of whose initiatives are archived."""
    values = {k: OBJECT_MAKERS[k](world.org) for k in kwargs}
    with scopes_disabled():
        Initiative.objects.filter(organization=world.org).update(archived_at=timezone.now())
    return reverse(name, kwargs={"org_slug": world.org.slug, **values})


def test_the_walk_covers_every_page_of_an_initiative():
    walked = {name for name, _ in URLS}
    assert READ_ONLY - {"initiatives:index", "initiatives:actions_due"} <= walked
    assert {"initiatives:phase_change", "initiatives:archive", "initiatives:sponsor"} <= walked


READ_ONLY_URLS = [(name, kwargs) for name, kwargs in URLS if name not in RESTORE]


@pytest.mark.parametrize(("name", "kwargs"), READ_ONLY_URLS, ids=[n for n, _ in READ_ONLY_URLS])
def test_an_archived_initiative_is_read_but_not_written(world, login, name, kwargs):
    client = login(world.coordinator)
    url = archived_url(world, name, kwargs)
    get = client.get(url).status_code
    assert get in {200, 405}, (url, get)  # 405: a URL that only takes POST
    post = client.post(url).status_code
    assert post == 403, (url, post)


def test_restore_is_the_one_write_an_archived_initiative_takes(world, login):
    client = login(world.coordinator)
    url = archived_url(world, "initiatives:archive", ["initiative_id"])
    assert client.get(url).status_code == 405
    assert client.post(url).status_code == 302
    with scopes_disabled():
        assert not Initiative.objects.filter(organization=world.org, archived_at__isnull=False)


def test_everything_in_an_initiative_is_read_only_with_it():
    # A new model of the app joins the rule by mixing in InInitiative (or, without an
    # initiative foreign key, by asking its parent), so that access(..., write=True) refuses it.
    app = apps.get_app_config("initiatives")
    silent = [m.__name__ for m in app.get_models() if not hasattr(m, "read_only_reason")]
    assert not silent
    in_initiative = [
        m for m in app.get_models() if "initiative" in {f.name for f in m._meta.fields}
    ]
    assert all(issubclass(m, InInitiative) for m in in_initiative)
