"""Agreements expiring within 60 days remind the staff, once per agreement and threshold."""

import datetime

from django.utils import timezone
from django_scopes import scope

from backbone.models import Notification
from measures import tasks
from measures.agreements import threshold_reached

from .factories import AgreementFactory


def reminders(world) -> list[tuple[int, str]]:
    with scope(organization=world.org):
        return sorted(
            (n.user_id, n.key) for n in Notification.objects.filter(kind="agreement_expiring")
        )


def test_the_thresholds():
    assert [threshold_reached(d) for d in (61, 60, 31, 30, 8, 7, 0, -1)] == [
        None, 60, 60, 30, 30, 7, 7, None,
    ]  # fmt: skip


def test_the_daily_job_reminds_the_staff_once_per_threshold(world, clock):
    today = timezone.localdate(timezone=world.org.tzinfo)
    agreement = AgreementFactory(
        initiative__organization=world.org,
        title="Food bank data sharing",
        expires_on=today + datetime.timedelta(days=45),
    )
    AgreementFactory(
        initiative__organization=world.org, expires_on=today + datetime.timedelta(days=90)
    )
    AgreementFactory(
        initiative__organization=world.org,
        status="ended",
        expires_on=today + datetime.timedelta(days=5),
    )
    tasks.dispatch_agreement_reminders()
    first = reminders(world)
    staff = {world.admin.pk, world.coordinator.pk}
    assert {user for user, _key in first} == staff
    expires = (today + datetime.timedelta(days=45)).isoformat()
    assert {key for _user, key in first} == {f"agreement_expiring:{agreement.pk}:{expires}:60"}
    tasks.dispatch_agreement_reminders()  # the next run of the same day adds nothing
    assert reminders(world) == first
    clock.shift(datetime.timedelta(days=16))  # 29 days left: the 30-day threshold
    tasks.dispatch_agreement_reminders()
    keys = {key for _user, key in reminders(world)}
    assert keys == {
        f"agreement_expiring:{agreement.pk}:{expires}:60",
        f"agreement_expiring:{agreement.pk}:{expires}:30",
    }
    with scope(organization=world.org):
        title = Notification.objects.filter(user=world.coordinator).latest("pk").title
    assert title.startswith("“Food bank data sharing” expires on") and "(in 29 days)" in title
