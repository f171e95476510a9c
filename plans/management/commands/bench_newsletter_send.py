"""Benchmark: newsletter sending against its ceiling, through a real SMTP server on
loopback (aiosmtpd, in its own process, as a mail server is), in one run:

1. the ceiling: plain `smtplib` sending equivalent messages (the same text and HTML
   parts and headers, each with its own two signed tokens in its links) over one
   connection, each message put together with `email.mime` and sent with
   `send_message`, as a plain script would;
2. ours: the real sending path (`deliveries_send`, committing as it does in
   production) to the same number of recipients, and the ratio to the ceiling
   (issue 13's target: >= 0.8);
3. for reference, the bare transport: one ready-made message's bytes sent that many
   times over one connection (no building at all — what no sender can beat);
4. a real Celery worker on Redis sending `--worker-recipients` mails through the task
   the "Send" button queues (target: 10,000 in <= 60 s).

Each part's data is committed (sending commits, and the worker reads on its own
connection) and deleted afterwards.
"""

import smtplib
import time
from email.mime.multipart import MIMEMultipart
from email.mime.text import MIMEText
from email.utils import formatdate

from celery.contrib.testing.worker import start_worker
from django.conf import settings
from django.core import signing
from django.core.management.base import BaseCommand
from django.utils import timezone
from django_scopes import scope, scopes_disabled

from backbone.celery import app
from backbone.models import Organization
from backbone.tasks import enqueue
from plans.models import Delivery, Newsletter, NewsletterItem
from plans.services.delivery import deliveries_send
from plans.services.newsletter import newsletter_send_now
from plans.services.newsletter_issue import (
    LINK_MARK,
    PREFERENCES_MARK,
    UNSUBSCRIBE_MARK,
    IssueTemplate,
)
from plans.tasks import send_newsletter
from stakeholders.models import ConsentStatus, Contact


def organization_build(recipients: int) -> tuple[Organization, Newsletter]:
    organization = Organization.objects.create(
        name="Bench Collective", slug=f"bench-{time.time_ns()}"
    )
    with scope(organization=organization):
        now = timezone.now()
        Contact.objects.bulk_create(
            [
                Contact(
                    organization=organization,
                    first_name=f"Person {i}",
                    email=f"person{i}@bench.example",
                    sector="community",
                    consent=ConsentStatus.GIVEN,
                    consent_changed_at=now,
                )
                for i in range(recipients)
            ],
            batch_size=2000,
        )
        newsletter = Newsletter.objects.create(
            organization=organization,
            subject="Bench week",
            introduction="Thank you to **everyone** at the table.",
            week_of=now.date(),
            covers_from=now,
            covers_until=now,
        )
        for i in range(6):
            NewsletterItem.objects.create(
                organization=organization,
                newsletter=newsletter,
                title=f"Item {i}",
                body="Children ready for school rose to *71%*.",
                url="https://riverside.example/data",
                position=i,
            )
    return organization, newsletter


def smtplib_ceiling(newsletter: Newsletter, recipients: int, port: int) -> float:
    """Seconds for plain smtplib to send `recipients` equivalent messages over one
    connection: the issue rendered once, each copy with its own two signed tokens in
    its links, the same headers."""
    template = IssueTemplate(newsletter)
    marks = [UNSUBSCRIBE_MARK, PREFERENCES_MARK, *map(LINK_MARK.format, range(6))]
    started = time.perf_counter()
    with smtplib.SMTP("127.0.0.1", port) as server:
        for i in range(recipients):
            payload = {"o": newsletter.organization_id, "d": i}
            click = signing.dumps(payload, salt="click", compress=True)
            unsubscribe = signing.dumps(payload, salt="unsubscribe", compress=True)
            link = f"http://127.0.0.1:8000/n/u/{unsubscribe}/"
            text, html = template.text, template.html
            for mark in marks:
                url = link if mark != marks[2] else f"http://127.0.0.1:8000/n/c/{click}/?to=x"
                text, html = text.replace(mark, url), html.replace(mark, url)
            message = MIMEMultipart("alternative")
            message["Subject"] = newsletter.subject
            message["From"] = "Bench Collective via Backbone <newsletter@bench.example>"
            message["To"] = f"person{i}@bench.example"
            message["Date"] = formatdate(localtime=True)
            message["Message-ID"] = f"<{i}.{newsletter.pk}@bench.example>"
            message["List-Unsubscribe"] = f"<{link}>"
            message["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
            message["List-Id"] = "Bench Collective <newsletter.bench>"
            message.attach(MIMEText(text, "plain", "utf-8"))
            message.attach(MIMEText(html, "html", "utf-8"))
            server.send_message(message)
    return time.perf_counter() - started


def bare_transport(message: bytes, recipients: int, port: int) -> float:
    """Seconds for smtplib to send the same ready-made bytes `recipients` times."""
    started = time.perf_counter()
    with smtplib.SMTP("127.0.0.1", port) as server:
        for i in range(recipients):
            server.sendmail("newsletter@bench.example", [f"person{i}@bench.example"], message)
    return time.perf_counter() - started


class Command(BaseCommand):
    help = "Newsletter sending vs plain smtplib, and through a real worker; prints the figures."

    def add_arguments(self, parser):
        parser.add_argument("--recipients", type=int, default=2_000)
        parser.add_argument("--worker-recipients", type=int, default=10_000, help="0: skip")

    def handle(self, *args, recipients: int, worker_recipients: int, **options):
        # aiosmtpd is a development dependency: the command needs it, the app does not.
        from plans.management.smtp_sink import SinkProcess

        with SinkProcess() as sink:
            settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
            settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", sink.port
            settings.EMAIL_USE_TLS = False
            settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
            if recipients:
                self.side_by_side(recipients, sink)
            if worker_recipients:
                self.through_a_worker(worker_recipients, sink)

    def side_by_side(self, recipients: int, sink) -> None:
        organization, newsletter = organization_build(recipients)
        try:
            with scope(organization=organization):
                ceiling = smtplib_ceiling(newsletter, recipients, sink.port)
                newsletter_send_now(newsletter=newsletter, user=None)
                newsletter = Newsletter.objects.get(pk=newsletter.pk)  # now "sending"
                started = time.perf_counter()
                counts = deliveries_send(newsletter=newsletter)
                ours = time.perf_counter() - started
                one = IssueTemplate(newsletter).mail_bytes(newsletter.deliveries.first())
                transport = bare_transport(one, recipients, sink.port)
        finally:
            with scopes_disabled():
                organization.delete()
        self.stdout.write(f"recipients:               {recipients}")
        self.stdout.write(
            f"plain smtplib (ceiling):  {ceiling:.2f} s, {recipients / ceiling:.0f} mails/s"
        )
        self.stdout.write(
            f"deliveries_send:          {ours:.2f} s, {counts['sent'] / ours:.0f} mails/s {counts}"
        )
        self.stdout.write(f"ratio ours / smtplib:     {ceiling / ours:.2f}x (target >= 0.8x)")
        self.stdout.write(
            f"bare transport (ready bytes, no building): {transport:.2f} s, "
            f"{recipients / transport:.0f} mails/s"
        )
        self.stdout.write(f"SMTP sink received:       {sink.count} (3 x {recipients} expected)")

    def through_a_worker(self, recipients: int, sink) -> None:
        received_before = sink.count
        organization, newsletter = organization_build(recipients)
        try:
            app.conf.task_always_eager = False
            with start_worker(app, perform_ping_check=False, pool="solo", loglevel="WARNING"):
                with scope(organization=organization):
                    newsletter_send_now(newsletter=newsletter, user=None)
                started = time.perf_counter()
                enqueue(
                    send_newsletter, organization_id=organization.pk, newsletter_id=newsletter.pk
                )
                while True:
                    with scopes_disabled():
                        status = Newsletter.objects.get(pk=newsletter.pk).status
                    if status != Newsletter.Status.SENDING or time.perf_counter() - started > 600:
                        break
                    time.sleep(0.2)
                seconds = time.perf_counter() - started
            with scopes_disabled():
                sent = Delivery.objects.filter(
                    newsletter=newsletter, status=Delivery.Status.SENT
                ).count()
            self.stdout.write(
                f"real Celery worker:       {sent} sent in {seconds:.1f} s, "
                f"{sent / seconds:.0f} mails/s (target: 10,000 in <= 60 s); "
                f"sink received {sink.count - received_before}"
            )
        finally:
            with scopes_disabled():
                organization.delete()
