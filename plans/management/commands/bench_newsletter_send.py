"""Benchmark: send one newsletter to N consenting contacts through a real SMTP
server on loopback (aiosmtpd), with the real sending path. Data is created in a
transaction that is rolled back at the end."""

import socket
import time

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone
from django_scopes import scope

from backbone.models import Organization
from plans.models import Delivery, Newsletter, NewsletterItem
from plans.services.delivery import deliveries_send
from plans.services.newsletter import newsletter_send_now
from stakeholders.models import ConsentStatus, Contact


class Rollback(Exception):
    pass


class Sink:
    def __init__(self):
        self.count = 0

    async def handle_DATA(self, server, session, envelope):
        self.count += 1
        return "250 OK"


class Command(BaseCommand):
    help = "Send a newsletter to N contacts through a loopback SMTP sink and print the figures."

    def add_arguments(self, parser):
        parser.add_argument("--recipients", type=int, default=10_000)

    def handle(self, *args, recipients: int, **options):
        # aiosmtpd is a development dependency: the command needs it, the app does not.
        from aiosmtpd.controller import Controller

        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            port = probe.getsockname()[1]
        sink = Sink()
        controller = Controller(sink, hostname="127.0.0.1", port=port)
        controller.start()
        settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_USE_TLS = "127.0.0.1", port, False
        settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
        try:
            with transaction.atomic():
                self.run(recipients, sink)
                raise Rollback
        except Rollback:
            pass
        finally:
            controller.stop()

    def run(self, recipients: int, sink: Sink) -> None:
        organization = Organization.objects.create(
            name="Bench Collective", slug=f"bench-{int(time.time())}"
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
            started = time.perf_counter()
            newsletter_send_now(newsletter=newsletter, user=None)
            created = time.perf_counter()
            counts = deliveries_send(newsletter=newsletter, batch_size=500)
            finished = time.perf_counter()
            sent = Delivery.objects.filter(
                newsletter=newsletter, status=Delivery.Status.SENT
            ).count()
        total = finished - started
        self.stdout.write(f"recipients:            {recipients}")
        self.stdout.write(f"deliveries created in: {created - started:.2f} s")
        self.stdout.write(f"sent in:               {finished - created:.2f} s ({counts})")
        self.stdout.write(f"total:                 {total:.2f} s, {sent / total:.0f} mails/s")
        self.stdout.write(f"SMTP sink received:    {sink.count}")
