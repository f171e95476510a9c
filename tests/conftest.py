"""The fixture world: two organizations, one person per role in the first, and an
admin of the second, so that cross-tenant cases come for free (as in zulip)."""

from dataclasses import dataclass

import pytest
from django.test import Client

from backbone.models import Membership, Organization, Role, User

from .factories import MembershipFactory, OrganizationFactory, UserFactory


@dataclass
class World:
    org: Organization
    other_org: Organization
    admin: User
    coordinator: User
    partner: User
    roundtable: User
    outsider: User  # admin of other_org, member of nothing in org

    def member(self, role: str) -> User:
        return {
            Role.ADMIN: self.admin,
            Role.COORDINATOR: self.coordinator,
            Role.PARTNER: self.partner,
            Role.ROUNDTABLE: self.roundtable,
        }[role]

    def membership(self, user: User) -> Membership:
        return Membership.objects.get(user=user, organization=self.org)


@pytest.fixture
def world(db) -> World:
    org = OrganizationFactory(name="Riverside Collective", slug="riverside")
    other = OrganizationFactory(name="Northbay Alliance", slug="northbay")
    people = {}
    for role in Role:
        user = UserFactory(email=f"{role.value}@riverside.test")
        MembershipFactory(user=user, organization=org, role=role)
        people[role.value] = user
    outsider = UserFactory(email="admin@northbay.test")
    MembershipFactory(user=outsider, organization=other, role=Role.ADMIN)
    return World(org=org, other_org=other, outsider=outsider, **people)


def client_for(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def login():
    """`login(user)` gives a test client signed in as that user."""
    return client_for


@pytest.fixture(autouse=True)
def eager_tasks(settings):
    """Tasks run in-process in tests, whatever REDIS_URL says; the tests marked
    `redis` switch this off and run a real worker."""
    from backbone.celery import app

    previous = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = previous


@pytest.fixture(autouse=True)
def fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
