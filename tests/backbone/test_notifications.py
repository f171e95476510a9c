"""Notifications: one function writes them, once per event and recipient, only to members;
the bell counts them within the membership query; the list marks them read; mail goes
at once or in a daily digest as each person chose."""

import datetime as dt

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django_scopes import scope, scopes_disabled

from backbone.celery import app
from backbone.models import JobRun, Membership, Notification, NotificationPreference
from backbone.notifications import Kind, notifications_mail, notify
from backbone.tasks import TenantTask


def _all(org):
    with scopes_disabled():
        return list(Notification.objects.filter(organization=org).order_by("pk"))


def test_notify_twice_with_the_same_key_adds_nothing(world):
    for _ in range(2):
        notify(
            organization=world.org,
            recipients=[world.coordinator, world.admin],
            kind=Kind.DRAFT_COMMENT,
            key="draft_comment:1",
            title="A comment",
            url="/o/riverside/",
        )
    rows = _all(world.org)
    assert sorted(n.user_id for n in rows) == sorted([world.coordinator.pk, world.admin.pk])


def test_notify_skips_people_who_are_not_members(world):
    world.membership(world.roundtable).delete()  # left the organization
    count = notify(
        organization=world.org,
        recipients=[world.roundtable, world.outsider, world.partner],
        kind=Kind.PLAN_ADOPTED,
        key="plan_adopted:1",
        title="Adopted",
    )
    assert count == 1
    assert [n.user_id for n in _all(world.org)] == [world.partner.pk]
    assert _all(world.other_org) == []


def test_an_unknown_kind_is_refused(world):
    with pytest.raises(ValueError):
        notify(organization=world.org, recipients=[world.admin], kind="gossip", key="k", title="t")


def _notify(world, user, n, kind=Kind.VALUE_RETURNED):
    notify(
        organization=world.org,
        recipients=[user],
        kind=kind,
        key=f"e{n}",
        title=f"Event {n}",
        url="/o/riverside/measures/",
    )


def test_the_bell_shows_the_unread_count_without_a_query_of_its_own(world, login):
    client = login(world.partner)
    with CaptureQueriesContext(connection) as before:
        page = client.get("/o/riverside/measures/")
    assert 'data-unread="0"' in page.content.decode()
    for n in range(3):
        _notify(world, world.partner, n)
    with CaptureQueriesContext(connection) as after:
        page = client.get("/o/riverside/measures/")
    body = page.content.decode()
    assert 'data-unread="3"' in body and "notifications-bell__count" in body
    assert len(after) == len(before)
    # Another organization's notification and another person's never count.
    notify(
        organization=world.other_org,
        recipients=[world.outsider],
        kind=Kind.JOB_FAILED,
        key="x",
        title="x",
    )
    _notify(world, world.coordinator, 9)
    assert 'data-unread="3"' in client.get("/o/riverside/notifications/").content.decode()


def test_the_list_is_paginated_in_a_fixed_number_of_queries(world, login):
    client = login(world.coordinator)
    _notify(world, world.coordinator, 0)
    with CaptureQueriesContext(connection) as few:
        client.get("/o/riverside/notifications/")
    for n in range(1, 60):
        _notify(world, world.coordinator, n)
    with CaptureQueriesContext(connection) as many:
        body = client.get("/o/riverside/notifications/").content.decode()
    assert len(many) == len(few)
    assert "Event 59" in body and "Event 0" not in body and "Page 1 of 3" in body
    assert "Event 0" in client.get("/o/riverside/notifications/?page=3").content.decode()


def test_opening_one_marks_it_read_and_goes_where_it_points(world, login):
    _notify(world, world.partner, 1)
    _notify(world, world.partner, 2)
    first = _all(world.org)[0]
    client = login(world.partner)
    response = client.post(f"/o/riverside/notifications/{first.pk}/open/")
    assert response.status_code == 302 and response["Location"] == "/o/riverside/measures/"
    read = {n.title: n.read_at is not None for n in _all(world.org)}
    assert read == {"Event 1": True, "Event 2": False}
    client.post("/o/riverside/notifications/read/")
    assert all(n.read_at for n in _all(world.org))


def test_nobody_opens_another_persons_notification(world, login):
    _notify(world, world.partner, 1)
    mine = _all(world.org)[0]
    assert (
        login(world.coordinator).post(f"/o/riverside/notifications/{mine.pk}/open/").status_code
        == 404
    )
    assert _all(world.org)[0].read_at is None


def test_mail_at_once_goes_one_by_one_and_never_twice(world):
    _notify(world, world.partner, 1)  # value returned: at once by default
    _notify(world, world.coordinator, 2, kind=Kind.VALUES_SUBMITTED)  # digest by default
    morning = dt.datetime(2026, 10, 14, 9, 0, tzinfo=world.org.tzinfo)
    early = morning.replace(hour=5)
    assert notifications_mail(organization=world.org, now=early) == {"now": 1, "digest": 0}
    assert [m.to for m in mail.outbox] == [[world.partner.email]]
    message = mail.outbox[0]
    assert message.subject == "Event 1"
    assert "Riverside Collective" in message.from_email
    assert "/o/riverside/measures/" in message.body
    assert message.alternatives[0][1] == "text/html"
    assert notifications_mail(organization=world.org, now=early) == {"now": 0, "digest": 0}
    assert len(mail.outbox) == 1


def test_the_daily_digest_gathers_the_day_once_from_the_morning(world):
    for n in range(3):
        _notify(world, world.coordinator, n, kind=Kind.VALUES_SUBMITTED)
    morning = dt.datetime(2026, 10, 14, 8, 5, tzinfo=world.org.tzinfo)
    assert notifications_mail(organization=world.org, now=morning.replace(hour=7))["digest"] == 0
    assert notifications_mail(organization=world.org, now=morning)["digest"] == 1
    (digest,) = mail.outbox
    assert digest.to == [world.coordinator.email]
    assert "3 things to know today" in digest.subject
    assert all(f"Event {n}" in digest.body for n in range(3))
    # Later that day: the new one waits for tomorrow's digest.
    _notify(world, world.coordinator, 7, kind=Kind.VALUES_SUBMITTED)
    assert notifications_mail(organization=world.org, now=morning.replace(hour=15))["digest"] == 0
    tomorrow = morning + dt.timedelta(days=1)
    assert notifications_mail(organization=world.org, now=tomorrow)["digest"] == 1
    assert "Event 7" in mail.outbox[1].body and "Event 0" not in mail.outbox[1].body


def test_each_person_chooses_per_kind(world):
    NotificationPreference.objects.create(
        user=world.partner, kind=Kind.VALUE_RETURNED, delivery="off"
    )
    NotificationPreference.objects.create(
        user=world.coordinator, kind=Kind.VALUES_SUBMITTED, delivery="now"
    )
    _notify(world, world.partner, 1)
    _notify(world, world.coordinator, 2, kind=Kind.VALUES_SUBMITTED)
    _notify(world, world.admin, 3, kind=Kind.VALUES_SUBMITTED)  # admin keeps the digest
    morning = dt.datetime(2026, 10, 14, 8, 0, tzinfo=world.org.tzinfo)
    assert notifications_mail(organization=world.org, now=morning) == {"now": 1, "digest": 1}
    assert sorted((m.to[0], m.subject) for m in mail.outbox) == sorted(
        [
            (world.coordinator.email, "Event 2"),
            (world.admin.email, "Riverside Collective: 1 thing to know today"),
        ]
    )


def test_a_failed_mail_leaves_the_notification_for_the_next_run(world, monkeypatch):
    _notify(world, world.partner, 1)
    monkeypatch.setattr("django.core.mail.message.EmailMessage.send", lambda *a, **k: 1 / 0)
    with pytest.raises(ZeroDivisionError):
        notifications_mail(organization=world.org)
    assert _all(world.org)[0].mailed_at is None
    monkeypatch.undo()
    assert notifications_mail(organization=world.org)["now"] == 1


@app.task(base=TenantTask, name="tests.always_fails")
def always_fails(organization):
    raise RuntimeError("boom")


def test_a_failed_job_tells_the_admins_once_a_day(world):
    for _ in range(2):
        with pytest.raises(RuntimeError):
            always_fails.delay(organization_id=world.org.pk)
    assert JobRun.objects.filter(status=JobRun.Status.FAILED).count() == 2
    (note,) = _all(world.org)
    assert note.user_id == world.admin.pk and note.kind == Kind.JOB_FAILED
    assert note.url == "/o/riverside/jobs/"
    with scope(organization=world.org):
        assert Membership.objects.filter(organization=world.org).count() == 4
