"""Each member's home is kept a minute in the cache (plans.home_cache): a second visit
runs none of the home's queries, and any change in the organization, a bulk decision on
values or a new day makes it afresh at the next visit."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django_scopes import scopes_disabled

from backbone.models import Role
from measures.models import DataPoint
from measures.services import data_points_approve
from plans import home_cache

from ..initiatives.factories import ActionItemFactory, InitiativeFactory
from .test_home_views import HOME, grow, section

# What the shell reads on every page (session user, membership, switcher): none of them
# is a table of the home's sections.
SECTION_TABLES = ("initiatives_", "measures_", "plans_", "stakeholders_", "backbone_jobrun")


def visit(client) -> tuple[list[str], str]:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(HOME)
    assert response.status_code == 200
    return [q["sql"] for q in captured.captured_queries], response.content.decode()


def main(html: str) -> str:
    """The page's own content (the header holds a CSRF token masked anew on each page)."""
    return html[html.index("<main") : html.index("</main>")]


def section_queries(sqls: list[str]) -> list[str]:
    return [sql for sql in sqls if any(f'"{table}' in sql for table in SECTION_TABLES)]


@pytest.mark.django_db
@pytest.mark.parametrize("role", list(Role))
def test_a_second_visit_runs_none_of_the_homes_queries(world, login, role):
    grow(world, 2)
    client = login(world.member(role))
    first, first_html = visit(client)
    second, second_html = visit(client)
    assert section_queries(first), role  # the first visit made it
    assert section_queries(second) == [], role
    assert len(second) < len(first)
    assert main(second_html) == main(first_html)


def test_a_change_in_the_organization_shows_at_the_next_visit(world, login):
    grow(world, 1)
    client = login(world.coordinator)
    _, html = visit(client)
    assert "Ring the landlords" not in section(html, "work")
    with scopes_disabled():
        ActionItemFactory(
            initiative=InitiativeFactory(organization=world.org, name="Tenants first"),
            title="Ring the landlords",
            due_date=datetime.date(2026, 10, 13),
        )
    sqls, html = visit(client)
    assert section_queries(sqls)
    assert "Ring the landlords" in section(html, "work")


def test_a_bulk_approval_shows_at_the_next_visit(world, login):
    """Bulk decisions skip save(); measures' `data_points_decided` tells the cache."""
    grow(world, 1)
    client = login(world.coordinator)
    _, html = visit(client)
    assert '<span class="badge home-count">3</span>' in section(html, "approvals")
    with scopes_disabled():
        ids = list(
            DataPoint.objects.filter(
                organization=world.org, status=DataPoint.Status.SUBMITTED
            ).values_list("pk", flat=True)
        )
        assert len(ids) == 3
        data_points_approve(organization=world.org, ids=ids, user=world.coordinator)
    _, html = visit(client)
    assert "Nothing waits for approval." in section(html, "approvals")


def test_a_change_in_another_organization_leaves_our_home_kept(world, login):
    grow(world, 1)
    client = login(world.coordinator)
    visit(client)
    with scopes_disabled():
        InitiativeFactory(organization=world.other_org, name="Elsewhere")
    sqls, _ = visit(client)
    assert section_queries(sqls) == []


def test_a_new_day_and_the_end_of_the_minute_make_the_home_afresh(world, login, clock):
    grow(world, 1)
    client = login(world.coordinator)
    visit(client)
    clock.shift(datetime.timedelta(days=1))  # the key holds the organization's day
    assert section_queries(visit(client)[0])
    assert section_queries(visit(client)[0]) == []
    assert home_cache.TIMEOUT <= 60  # what no saved row tells (time passing) shows within it
