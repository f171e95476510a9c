"""The shell (header, navigation, organization switcher, bell) runs no query of its own:
the page costs one query: the session's user, read with their membership by the middleware."""

from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext

from backbone import context_processors
from backbone.models import Role
from backbone.services import membership_change_role, membership_remove, organization_update

from ..factories import MembershipFactory, OrganizationFactory

EMPTY_FORM = "/o/riverside/initiatives/new/"


def test_an_empty_form_runs_only_the_query_of_the_user_and_their_membership(world, login):
    MembershipFactory(user=world.coordinator, organization=world.other_org, role=Role.PARTNER)
    client = login(world.coordinator)
    with CaptureQueriesContext(connection) as captured:
        body = client.get(EMPTY_FORM).content.decode()
    assert 'href="/o/northbay/"' in body and "Northbay Alliance" in body  # the switcher
    assert 'href="/o/riverside/stakeholders/"' in body and "notifications-bell" in body
    sql = [query["sql"] for query in captured.captured_queries]
    from_redis = settings.SESSION_ENGINE.endswith("cached_db")
    assert len(sql) == (1 if from_redis else 2), sql  # without Redis, the session's row too
    assert 'FROM "backbone_user" u' in sql[-1] and '"backbone_membership" m' in sql[-1]
    assert 'o."slug" = ' in sql[-1]


def test_the_switcher_follows_memberships_and_names_without_signing_in_again(world, login):
    client = login(world.coordinator)
    assert "Northbay Alliance" not in client.get(EMPTY_FORM).content.decode()
    joined = MembershipFactory(
        user=world.coordinator, organization=world.other_org, role=Role.ROUNDTABLE
    )
    body = client.get(EMPTY_FORM).content.decode()
    assert "Northbay Alliance" in body and "Roundtable" in body
    organization_update(organization=world.other_org, name="Northbay Renamed")
    assert "Northbay Renamed" in client.get(EMPTY_FORM).content.decode()
    membership_change_role(membership=joined, role=Role.COORDINATOR)
    assert (
        'Northbay Renamed <span class="muted">· Coordinator'
        in client.get(EMPTY_FORM).content.decode()
    )
    membership_remove(membership=joined)
    assert "Northbay Renamed" not in client.get(EMPTY_FORM).content.decode()
    # Someone else's organizations never show.
    MembershipFactory(user=world.outsider, organization=OrganizationFactory(name="Elsewhere"))
    assert "Elsewhere" not in client.get(EMPTY_FORM).content.decode()


def test_the_navigation_and_switcher_are_made_once_then_kept_under_all_they_show(
    world, login, monkeypatch
):
    made = []
    for name in ("organization_nav", "switcher_entries"):
        real = getattr(context_processors, name)
        monkeypatch.setattr(
            context_processors,
            name,
            lambda arg, real=real, name=name: made.append(name) or real(arg),
        )
    client = login(world.admin)
    first = client.get(EMPTY_FORM).content.decode()
    assert sorted(made) == ["organization_nav", "switcher_entries"]
    made.clear()
    assert client.get(EMPTY_FORM).content.decode().count("Stakeholders") == first.count(
        "Stakeholders"
    )
    assert made == []  # both read from the shell's cache
    # The page marks its own area: another page is another navigation.
    body = client.get("/o/riverside/stakeholders/").content.decode()
    assert made == ["organization_nav"]
    assert 'href="/o/riverside/stakeholders/" aria-current="page"' in body
    # Another role sees other areas; another language other words.
    assert (
        'href="/o/riverside/members/"' not in login(world.partner).get(EMPTY_FORM).content.decode()
    )
    organization_update(organization=world.org, language="fr")
    assert "Tableau de bord" in client.get(EMPTY_FORM).content.decode()
