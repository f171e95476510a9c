"""What the page tests of an initiative share: a seeded initiative, links, a partner user
linked to a partner, and a query counter."""

import datetime

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django_scopes import scope

from initiatives.services import initiative_create

from ..stakeholders.factories import PartnerMembershipFactory


def seeded_initiative(world):
    """An initiative made by the service, with its readiness matrix and five deliverables."""
    with scope(organization=world.org):
        return initiative_create(
            organization=world.org,
            name="Poverty Reduction Roundtable 2027",
            issue="Reduce poverty",
            start_date=datetime.date(2027, 1, 15),
        )


def url(name, org, **kwargs):
    return reverse(f"initiatives:{name}", kwargs={"org_slug": org.slug, **kwargs})


def link_partner_user(world, partner):
    PartnerMembershipFactory(
        membership=world.membership(world.partner), organization=world.org, partner=partner
    )


def count_queries(client, path):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(path)
    assert response.status_code == 200
    return len(ctx)


def assert_same_queries_for_few_and_many(client, path, add, *, few: int = 1, many: int = 15):
    """The page takes as many queries with `few` rows made by `add()` as with `many` more."""
    for _ in range(few):
        add()
    small = count_queries(client, path)
    for _ in range(many):
        add()
    assert count_queries(client, path) == small


def assert_refused(response, *shown: str) -> None:
    """A form was refused (422, which the base layout tells htmx to swap) and the page shows
    each of `shown` (its errors)."""
    assert response.status_code == 422
    html = response.content.decode()
    for text in shown:
        assert text in html
