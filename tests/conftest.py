"""The fixture world: two organizations, one person per role in the first, and an
admin of the second, so that cross-tenant cases come for free (as in zulip)."""

import datetime as dt
import email
import email.policy
import os
import socket
import threading
from dataclasses import dataclass

import pytest
import time_machine
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


# The one clock of the suite: every test runs at this instant (and time goes on from
# there), never at the machine's date. .ci/run runs the suite again at the hours
# that broke it before: 01:30 UTC on a Monday and New Year's Eve late in Toronto.
DEFAULT_NOW = "2026-10-14T16:00:00+00:00"


def suite_now() -> dt.datetime:
    return dt.datetime.fromisoformat(os.environ.get("BACKBONE_TEST_NOW") or DEFAULT_NOW)


@pytest.fixture(autouse=True)
def clock(request):
    """The frozen-then-ticking clock every test runs on; `clock.shift(...)` or
    `clock.move_to(...)` travel. Browser tests keep the machine's clock, since
    Chromium's own clock would expire the cookies of a server living in another year."""
    if request.node.get_closest_marker("real_clock") or request.node.get_closest_marker("e2e"):
        yield None
        return
    with time_machine.travel(suite_now(), tick=True) as traveller:
        yield traveller


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


@pytest.fixture(autouse=True, scope="session")
def fresh_shared_cache():
    """Each run starts with an empty cache. Keys name the database, but the test database
    is built afresh each run with the same ids: an organization's page kept by the last
    run (a re-run within the entries' timeout, the nightly runs back to back) would be
    read as this run's."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture(autouse=True)
def fresh_shell_cache():
    """The header's fragments are kept per process (`CACHES["shell"]`): each test starts
    without another test's, as each request of a new process would."""
    from django.core.cache import caches

    caches["shell"].clear()


@pytest.fixture(autouse=True)
def fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@dataclass
class ReceivedMail:
    envelope_from: str
    recipients: list[str]
    message: "email.message.EmailMessage"


class SmtpSink:
    """A real SMTP server on loopback (aiosmtpd) that keeps what it receives."""

    def __init__(self):
        self.received: list[ReceivedMail] = []
        self.lock = threading.Lock()
        self.refuse_recipients: set[str] = set()  # answered 550, as for an unknown mailbox
        self.refuse_after: int | None = (
            None  # after this many mails, answer 421 (server going away)
        )

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address in self.refuse_recipients:
            return "550 5.1.1 No such mailbox here"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        if self.refuse_after is not None and len(self.received) >= self.refuse_after:
            return "421 4.3.2 Service shutting down"
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        with self.lock:
            self.received.append(ReceivedMail(envelope.mail_from, list(envelope.rcpt_tos), message))
        return "250 Message accepted for delivery"

    def to(self, address: str) -> list[ReceivedMail]:
        with self.lock:
            return [m for m in self.received if address in m.recipients]


@pytest.fixture
def smtp_sink(settings):
    """Point Django's SMTP backend at a real SMTP server on 127.0.0.1."""
    from aiosmtpd.controller import Controller

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    sink = SmtpSink()
    controller = Controller(sink, hostname="127.0.0.1", port=port)
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = port
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_HOST_USER = ""
    settings.EMAIL_HOST_PASSWORD = ""
    yield sink
    controller.stop()


@pytest.fixture(autouse=True)
def media_in_tmp(settings, tmp_path):
    """Uploads and rendered PDFs go to a throwaway folder, not the project's media/."""
    settings.MEDIA_ROOT = tmp_path / "media"
