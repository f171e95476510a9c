"""Every endpoint of the API, walked with each role's token and with another organization's:
a role the permission table refuses gets 403, an object the member may not see (another
partner's, another organization's) 404, and a refused request changes nothing in the
database. The API can never do what the same person cannot do in a page.

Endpoints join the walk by themselves (they are read from the URL resolver); one whose
object the walk cannot make fails `test_every_endpoint_has_a_maker`.
"""

import datetime
import json

import pytest
from django.db import transaction
from django_scopes import scopes_disabled

from backbone.models import Role
from backbone.permissions import can
from backbone.stale import fingerprint
from initiatives.models import Initiative
from measures.models import DataPoint, DataPointChange, DataRequest, Indicator
from stakeholders.api import FIELDS
from stakeholders.models import ConsentRecord, Contact
from tests.api import ApiClient, api_endpoints, token_for, url_of
from tests.initiatives.factories import InitiativeFactory, InitiativePartnerFactory
from tests.measures.factories import DataPointFactory, DataRequestFactory, IndicatorFactory
from tests.stakeholders.factories import (
    ContactFactory,
    PartnerFactory,
    PartnerMembershipFactory,
)

WATCHED = [Initiative, Indicator, DataRequest, DataPoint, DataPointChange, Contact, ConsentRecord]
# The values a partner reports go through the API; the backbone enters its own on the entry
# form (approved at once) and, through the API, approves and returns.
PARTNER_ONLY = {("value", "create"), ("value", "partial_update"), ("value", "submit")}
# What a partner user may not see even in its organization: another partner's rows.
NARROWED = {"value", "data-request"}


ENDPOINTS = api_endpoints()
every_endpoint = pytest.mark.parametrize(
    ("name", "detail", "method", "action", "view"),
    ENDPOINTS,
    ids=[f"{method}-{name}" for name, _r, method, *_ in ENDPOINTS],
)


def _basename(name: str) -> str:
    return name.rsplit("-", 1)[0] if not name.startswith("value-return") else "value"


def snapshot() -> dict:
    with scopes_disabled():
        return {m.__name__: list(m.objects.order_by("pk").values()) for m in WATCHED}


@pytest.fixture
def scene(world):
    """Each organization's objects; in the first, a partner user's own rows and another
    partner's."""
    made = {}
    for org, tag in ((world.org, "org"), (world.other_org, "elsewhere")):
        initiative = InitiativeFactory(organization=org, start_date=datetime.date(2025, 1, 1))
        own = PartnerFactory(organization=org, name=f"Food bank {tag}")
        other = PartnerFactory(organization=org, name=f"Social services {tag}")
        for partner in (own, other):
            InitiativePartnerFactory(initiative=initiative, partner=partner)
        indicator = IndicatorFactory(initiative=initiative, frequency="quarterly")
        requests = [DataRequestFactory(indicator=indicator, partner=p) for p in (own, other)]
        points = [
            DataPointFactory(indicator=indicator, partner=p, period="2026-Q2", status="submitted")
            for p in (own, other)
        ]
        contact = ContactFactory(organization=org, partner=own)
        made[tag] = {
            "initiative": (initiative, initiative),
            "indicator": (indicator, indicator),
            "data-request": tuple(requests),
            "value": tuple(points),
            "contact": (contact, contact),
            "period": (None, None),
        }
    PartnerMembershipFactory(
        membership=world.membership(world.partner),
        partner=made["org"]["value"][0].partner,
    )
    return made


def body_for(basename: str, action: str, obj, indicator) -> dict:
    with scopes_disabled():
        if basename == "value":
            return {
                "create": {"indicator": indicator.pk, "period": "2026-Q3", "value": "11"},
                "partial_update": {"value": "11", "version": obj and obj.version},
                "submit": {"version": obj and obj.version},
                "approve": {"version": obj and obj.version},
                "return_value": {"reason": "Count households, not visits."},
            }.get(action, {})
        if basename == "contact":
            return {
                "create": {"first_name": "Ana", "sector": "community", "email": "ana@x.test"},
                "partial_update": {
                    "phone": "555-0100",
                    "version": obj and fingerprint(Contact.objects.get(pk=obj.pk), FIELDS),
                },
                "consent": {"given": False},
            }.get(action, {})
    return {}


def call(api: ApiClient, method: str, url: str, body: dict):
    """One request whose writes are undone afterwards, with what it changed."""
    with transaction.atomic():
        before = snapshot()
        response = api.get(url) if method == "get" else getattr(api, method)(url, body)
        changed = snapshot() != before
        transaction.set_rollback(True)
    return response, changed


def test_the_walk_finds_every_endpoint():
    names = {name for name, *_ in ENDPOINTS}
    assert {"value-list", "value-approve", "contact-consent", "indicator-series"} <= names
    assert len(ENDPOINTS) >= 20


def test_every_endpoint_has_a_maker(world):
    missing = {_basename(name) for name, *_ in ENDPOINTS} - {
        "initiative",
        "indicator",
        "data-request",
        "value",
        "contact",
        "period",
    }
    assert not missing, f"Teach tests/test_api_walk.py's scene to make: {missing}"
    for _name, _detail, _method, action, view in ENDPOINTS:
        assert action in view.permissions, f"{view.__name__}.{action} names no permission"


@every_endpoint
def test_each_role_may_do_through_the_api_only_what_it_may_do_in_a_page(
    world, scene, name, detail, method, action, view
):
    basename = _basename(name)
    permission = view.permissions[action]
    tokens = {role: token_for(world.member(role), world.org) for role in Role}
    for role, secret in tokens.items():
        membership = world.membership(world.member(role))
        for which, obj in zip(("own", "other"), scene["org"][basename], strict=True):
            if not detail and which == "other":
                continue
            url = url_of(name, obj if detail else None)
            body = body_for(basename, action, obj, scene["org"]["indicator"][0])
            response, changed = call(ApiClient(secret), method, url, body)
            if not can(membership, permission) or (
                (basename, action) in PARTNER_ONLY and role != Role.PARTNER
            ):
                expected = {403}
            elif role == Role.PARTNER and which == "other" and basename in NARROWED:
                expected = {404}
            else:
                expected = {200, 201}
            assert response.status_code in expected, (role, which, url, response.content)
            if response.status_code >= 400:
                assert not changed, (role, which, url)
                assert set(response.json()["error"]) == {"status", "code", "message", "fields"}


@every_endpoint
def test_another_organizations_token_reaches_nothing_of_this_one(
    world, scene, name, detail, method, action, view
):
    """The outsider is admin of their own organization (every right there)."""
    api = ApiClient(token_for(world.outsider, world.other_org))
    basename = _basename(name)
    ours = {obj.pk for obj in scene["org"][basename] if obj is not None}
    if detail:
        for obj in scene["org"][basename]:
            body = body_for(basename, action, obj, scene["org"]["indicator"][0])
            url = url_of(name, obj)
            response, changed = call(api, method, url, body)
            assert response.status_code in {403, 404}, (url, response.content)
            assert not changed, url
        return
    body = body_for(basename, action, None, scene["org"]["indicator"][0])
    response, changed = call(api, method, url_of(name), body)
    if method == "get":
        assert response.status_code == 200
        listed = {row.get("id") for row in response.json()["results"]}
        assert not listed & ours, listed
        if basename == "period":
            theirs = scene["elsewhere"]["indicator"][0].pk
            assert {row["indicator"] for row in response.json()["results"]} == {theirs}
    else:
        # Creating in their own organization may work; nothing of this one changes.
        assert response.status_code in {201, 400, 403, 404}, response.content
        assert response.status_code != 201 or json.loads(response.content)["id"] not in ours
