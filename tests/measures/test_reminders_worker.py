"""Data-due reminders are notifications: a real worker on Redis running the job twice (as a
retry would) leaves one notification per request and one digest mail."""

import os
import time

import pytest
from celery.contrib.testing.worker import start_worker
from django.core import mail
from django_scopes import scopes_disabled

from backbone.celery import app
from backbone.models import JobRun, Notification
from backbone.tasks import mail_notifications
from measures.models import ReminderSent
from measures.tasks import send_data_reminders


def _wait_for(task_name: str, runs: int) -> list[JobRun]:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        done = list(
            JobRun.objects.filter(task_name=task_name).exclude(status=JobRun.Status.RUNNING)
        )
        if len(done) >= runs:
            return done
        time.sleep(0.2)
    raise AssertionError(f"the worker ran {task_name} fewer than {runs} times")


@pytest.mark.redis
@pytest.mark.skipif(not os.environ.get("REDIS_URL"), reason="needs REDIS_URL (CI starts Redis)")
@pytest.mark.django_db(transaction=True)
def test_a_reminders_job_run_twice_by_a_real_worker_notifies_once(world, measures):
    app.conf.task_always_eager = False
    with start_worker(app, perform_ping_check=False, pool="solo", loglevel="WARNING"):
        send_data_reminders.delay(organization_id=world.org.pk)
        _wait_for("measures.send_data_reminders", 1)
        with scopes_disabled():
            first = sorted(Notification.objects.values_list("user_id", "key"))
            # As if the job's own claims were lost: only the notification keys guard now.
            ReminderSent.objects.all().delete()
        send_data_reminders.delay(organization_id=world.org.pk)
        runs = _wait_for("measures.send_data_reminders", 2)
        for _ in range(2):
            mail_notifications.delay(organization_id=world.org.pk)
        mailing = _wait_for("backbone.mail_notifications", 2)
    assert all(run.status == JobRun.Status.SUCCEEDED and run.task_id for run in runs + mailing)
    assert first and {user for user, _ in first} == {world.partner.pk}
    assert all(key.startswith("data_due:") for _, key in first)
    with scopes_disabled():
        assert sorted(Notification.objects.values_list("user_id", "key")) == first
    assert [m.to for m in mail.outbox] == [[world.partner.email]]  # one digest
    assert f"{len(first)} things to know today" in mail.outbox[0].subject
