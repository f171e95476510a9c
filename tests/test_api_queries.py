"""Every list endpoint of the API runs a fixed number of queries, whatever its size: counted
at two sizes, for staff and for a partner user (whose lists are narrowed)."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.api import ApiClient, api_endpoints, token_for, url_of
from tests.initiatives.factories import InitiativeFactory, InitiativePartnerFactory
from tests.measures.factories import (
    DataPointFactory,
    DataRequestFactory,
    IndicatorFactory,
    TargetFactory,
)
from tests.stakeholders.factories import (
    ContactFactory,
    PartnerFactory,
    PartnerMembershipFactory,
    TagFactory,
)

LISTS = sorted({name for name, _detail, _method, action, _ in api_endpoints() if action == "list"})


def grow(org, own, other, count: int) -> None:
    """`count` more of everything each list shows."""
    for n in range(count):
        initiative = InitiativeFactory(organization=org, start_date=datetime.date(2025, 1, 1))
        for partner in (own, other):
            InitiativePartnerFactory(initiative=initiative, partner=partner)
        indicator = IndicatorFactory(initiative=initiative, frequency="quarterly")
        TargetFactory(indicator=indicator)
        TargetFactory(indicator=indicator)
        for partner in (own, other):
            DataRequestFactory(indicator=indicator, partner=partner)
            DataPointFactory(indicator=indicator, partner=partner, period="2026-Q2")
        contact = ContactFactory(organization=org, partner=own if n % 2 else None)
        for tag in (TagFactory(organization=org), TagFactory(organization=org)):
            tag.contacts.add(contact)


def queries(api: ApiClient, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = api.get(url, {"page_size": 200})
    assert response.status_code in (200, 403), (url, response.status_code)
    return len(captured)


@pytest.mark.parametrize("name", LISTS)
def test_each_list_endpoint_runs_a_fixed_number_of_queries(world, name):
    own = PartnerFactory(organization=world.org)
    other = PartnerFactory(organization=world.org)
    PartnerMembershipFactory(membership=world.membership(world.partner), partner=own)
    clients = {
        user: ApiClient(token_for(user, world.org)) for user in (world.coordinator, world.partner)
    }
    url = url_of(name)
    for api in clients.values():
        api.get(url)  # the token's "last used" is written once a minute, not on each read
    grow(world.org, own, other, 1)
    small = {user: queries(api, url) for user, api in clients.items()}
    grow(world.org, own, other, 5)
    large = {user: queries(api, url) for user, api in clients.items()}
    assert large == small, (name, small, large)
    assert clients[world.coordinator].get(url).json()["count"] >= 6, "the lists grew"
