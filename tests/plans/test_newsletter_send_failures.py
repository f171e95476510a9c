"""A send that fails for a reason that will not go away marks the issue failed, with the
reason, and lets it be edited and sent again; nothing stays "sending" forever
(issue 11, item 5). Every server here is a real SMTP server on loopback."""

import datetime as dt
import os
import socket
import time

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult
from celery.contrib.testing.worker import start_worker
from django.urls import reverse
from django.utils import timezone
from django_scopes import scope, scopes_disabled

from backbone.celery import app
from backbone.models import JobRun
from backbone.tasks import enqueue
from plans import tasks
from plans.models import Delivery, Newsletter
from plans.services import delivery as deliveries
from plans.services import newsletter as newsletters

from ..conftest import SmtpSink
from ..factories import OrganizationFactory
from .factories import ConsentingContactFactory, NewsletterFactory, NewsletterItemFactory
from .test_newsletter_delivery import run_sending, send


def reload(newsletter):
    with scopes_disabled():
        return Newsletter.objects.get(pk=newsletter.pk)


def statuses(newsletter):
    with scopes_disabled():
        return sorted(
            Delivery.objects.filter(newsletter=newsletter).values_list("status", flat=True)
        )


def readers(world, count):
    return [
        ConsentingContactFactory(organization=world.org, email=f"reader{i}@example.org")
        for i in range(count)
    ]


def send_again_after_fixing(world, issue):
    with scope(organization=world.org):
        newsletters.newsletter_send_now(newsletter=reload(issue), user=None)
    return run_sending(issue)


def test_a_server_that_refuses_every_recipient_fails_the_issue_and_it_can_be_sent_again(
    world, issue, smtp_sink, login
):
    people = readers(world, 3)
    smtp_sink.refuse_recipients = {p.email for p in people}
    send(issue)
    with pytest.raises(deliveries.PermanentSendError, match="refused every recipient"):
        run_sending(issue)
    failed = reload(issue)
    assert failed.status == Newsletter.Status.FAILED
    assert "refused every recipient (3)" in failed.send_error
    assert failed.is_editable
    assert statuses(issue) == ["failed"] * 3
    page = login(world.coordinator).get(
        reverse("newsletters:detail", kwargs={"org_slug": "riverside", "newsletter_id": issue.pk})
    )
    assert "This issue was not sent." in page.text and "refused every recipient" in page.text
    smtp_sink.refuse_recipients = set()  # the mail server is put right
    assert send_again_after_fixing(world, issue) == {"sent": 3, "skipped": 0, "failed": 0}
    assert reload(issue).status == Newsletter.Status.SENT
    assert reload(issue).send_error == ""
    assert sorted(r for m in smtp_sink.received for r in m.recipients) == [p.email for p in people]


def test_a_long_run_of_refusals_stops_the_send_without_trying_everyone(
    world, issue, smtp_sink, monkeypatch
):
    monkeypatch.setattr(deliveries, "REFUSED_IN_A_ROW", 3)
    people = readers(world, 6)
    smtp_sink.refuse_recipients = {p.email for p in people}
    send(issue)
    with pytest.raises(deliveries.PermanentSendError, match="refused every recipient"):
        run_sending(issue)
    with scopes_disabled():
        errors = list(
            Delivery.objects.filter(newsletter=issue).order_by("pk").values_list("error", flat=True)
        )
    assert all("550" in e for e in errors[:3])
    assert all("refused every recipient" in e for e in errors[3:])  # never tried
    assert reload(issue).status == Newsletter.Status.FAILED


def test_refusals_after_a_first_accepted_mail_only_fail_those_recipients(world, issue, smtp_sink):
    people = readers(world, 3)
    smtp_sink.refuse_recipients = {people[1].email, people[2].email}
    send(issue)
    assert run_sending(issue) == {"sent": 1, "skipped": 0, "failed": 2}
    assert reload(issue).status == Newsletter.Status.SENT


@pytest.fixture
def smtp_with_sign_in(settings):
    """A real SMTP server on loopback that wants a user name and password."""

    def authenticator(server, session, envelope, mechanism, auth_data):
        right = (auth_data.login, auth_data.password) == (b"mailer", b"right")
        return AuthResult(success=right, handled=False)  # aiosmtpd answers 535 when wrong

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    sink = SmtpSink()
    controller = Controller(
        sink,
        hostname="127.0.0.1",
        port=port,
        auth_required=True,
        auth_require_tls=False,
        authenticator=authenticator,
    )
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_USE_TLS = "127.0.0.1", port, False
    settings.EMAIL_HOST_USER, settings.EMAIL_HOST_PASSWORD = "mailer", "wrong"
    yield sink
    controller.stop()


def test_a_refused_sign_in_fails_the_issue_at_once_and_it_can_be_sent_again(
    world, issue, smtp_with_sign_in, settings, django_capture_on_commit_callbacks
):
    readers(world, 2)
    with django_capture_on_commit_callbacks(execute=True):
        send(issue)  # the job runs (eagerly) and gives up without retrying
    failed = reload(issue)
    assert failed.status == Newsletter.Status.FAILED
    assert "535" in failed.send_error
    assert statuses(issue) == ["failed", "failed"]
    with scopes_disabled():
        assert JobRun.objects.get(task_name="plans.send_newsletter").result.startswith(
            "not sent: The mail server refused"
        )
    settings.EMAIL_HOST_PASSWORD = "right"
    assert send_again_after_fixing(world, issue)["sent"] == 2
    assert len(smtp_with_sign_in.received) == 2


class RejectingData(SmtpSink):
    async def handle_DATA(self, server, session, envelope):
        return "554 5.7.1 Message rejected as spam"


def test_a_message_the_server_rejects_with_5xx_fails_the_issue(world, issue, settings):
    readers(world, 2)
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    controller = Controller(RejectingData(), hostname="127.0.0.1", port=port)
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_USE_TLS = "127.0.0.1", port, False
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    try:
        send(issue)
        with pytest.raises(deliveries.PermanentSendError, match="554"):
            run_sending(issue)
    finally:
        controller.stop()
    assert reload(issue).status == Newsletter.Status.FAILED
    assert statuses(issue) == ["failed", "failed"]


def test_an_issue_that_cannot_be_rendered_fails_and_sends_nothing(
    world, issue, smtp_sink, settings, tmp_path
):
    readers(world, 2)
    broken = tmp_path / "templates" / "plans" / "email"
    broken.mkdir(parents=True)
    (broken / "newsletter.html").write_text("{% if %}broken{% endif %}")
    settings.TEMPLATES = [
        {**settings.TEMPLATES[0], "DIRS": [tmp_path / "templates", *settings.TEMPLATES[0]["DIRS"]]}
    ]
    send(issue)
    with pytest.raises(deliveries.PermanentSendError, match="could not be put together"):
        run_sending(issue)
    assert reload(issue).status == Newsletter.Status.FAILED
    assert statuses(issue) == ["failed", "failed"]
    assert smtp_sink.received == []


def test_an_unreachable_server_fails_the_issue_once_the_tries_are_spent(world, issue, settings):
    readers(world, 1)
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", 9, 2
    send(issue)
    for _attempt in range(deliveries.MAX_ATTEMPTS - 1):
        with pytest.raises(deliveries.TransientSendError):
            run_sending(issue)
        assert reload(issue).status == Newsletter.Status.SENDING
    with pytest.raises(deliveries.PermanentSendError, match="could not be reached after 5 tries"):
        run_sending(issue)
    assert reload(issue).status == Newsletter.Status.FAILED
    assert run_sending(issue) == {"sent": 0, "skipped": 0, "failed": 0}  # a late retry: no-op


def test_the_periodic_job_recovers_issues_left_sending(world, smtp_sink, clock):
    readers(world, 2)
    stuck, finished, busy = (NewsletterFactory(organization=world.org) for _ in range(3))
    for newsletter in (stuck, finished, busy):
        NewsletterItemFactory(newsletter=newsletter)
        send(newsletter)  # deliveries made, status "sending"; no job picks them up
    run_sending(finished)
    clock.shift(deliveries.STUCK_AFTER + dt.timedelta(minutes=1))
    with scopes_disabled():
        # The worker died before marking `finished` sent; one claimed `busy` a minute ago.
        Newsletter.objects.filter(pk=finished.pk).update(status=Newsletter.Status.SENDING)
        Delivery.objects.filter(newsletter=busy).update(
            status=Delivery.Status.SENDING, claimed_at=timezone.now() - dt.timedelta(minutes=1)
        )
    tasks.send_due_newsletters.delay(organization_id=world.org.pk)
    assert reload(stuck).status == Newsletter.Status.FAILED
    assert "did not resume for 30 minutes" in reload(stuck).send_error
    assert statuses(stuck) == ["failed", "failed"]
    assert reload(finished).status == Newsletter.Status.SENT
    assert reload(busy).status == Newsletter.Status.SENDING  # a worker is on it
    with scopes_disabled():
        assert (
            "recovered 2 stuck" in JobRun.objects.get(task_name="plans.send_due_newsletters").result
        )


@pytest.mark.redis
@pytest.mark.skipif(not os.environ.get("REDIS_URL"), reason="needs REDIS_URL (CI starts Redis)")
@pytest.mark.django_db(transaction=True)
def test_a_real_worker_marks_the_issue_failed_when_the_server_refuses_everyone(smtp_sink):
    org = OrganizationFactory()
    issue = NewsletterFactory(organization=org)
    NewsletterItemFactory(newsletter=issue)
    people = ConsentingContactFactory.create_batch(3, organization=org)
    smtp_sink.refuse_recipients = {p.email for p in people}
    app.conf.task_always_eager = False
    with start_worker(app, perform_ping_check=False, pool="solo", loglevel="WARNING"):
        with scope(organization=org):
            newsletters.newsletter_send_now(newsletter=issue, user=None)
            enqueue(tasks.send_newsletter, organization_id=org.pk, newsletter_id=issue.pk)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and reload(issue).status == Newsletter.Status.SENDING:
            time.sleep(0.2)
    assert reload(issue).status == Newsletter.Status.FAILED
    assert statuses(issue) == ["failed"] * 3
    run = JobRun.objects.get(task_name="plans.send_newsletter")
    assert run.status == JobRun.Status.SUCCEEDED and run.result.startswith("not sent:")
    assert smtp_sink.received == []
