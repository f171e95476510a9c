"""How the dashboard and the lists scale: builds initiatives in a transaction it rolls back,
renders the pages as a coordinator, prints time and query counts per size."""

import datetime
import statistics
import time

from django.core.management.base import BaseCommand
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django_scopes import scopes_disabled

from backbone.models import Membership, Organization, Role, User
from initiatives import services
from initiatives.models import ActionItem, ReadinessItem, Risk, RiskLevel
from stakeholders.models import Contact, Sector


class Rollback(Exception):
    pass


class Command(BaseCommand):
    help = "Measure the initiatives dashboard, list and matrix with growing numbers of initiatives."

    def add_arguments(self, parser):
        parser.add_argument("--sizes", default="2,40,200")
        parser.add_argument("--repeat", type=int, default=5)

    def handle(self, *args, sizes: str, repeat: int, **options):
        try:
            with scopes_disabled(), transaction.atomic():
                self.run([int(size) for size in sizes.split(",")], repeat)
                raise Rollback
        except Rollback:
            pass

    def run(self, sizes: list[int], repeat: int) -> None:
        organization = Organization.objects.create(
            name="Bench Collective", slug="bench-initiatives"
        )
        user = User.objects.create_user(email="bench-coordinator@bench.example")
        Membership.objects.create(user=user, organization=organization, role=Role.COORDINATOR)
        lead = Contact.objects.create(
            organization=organization, first_name="Bench", last_name="Lead", sector=Sector.OTHER
        )
        client = Client(HTTP_HOST="localhost")
        client.force_login(user)
        today = timezone.localdate()
        made = 0
        self.stdout.write(f"{'initiatives':>11} {'page':<22} {'queries':>7} {'median ms':>9}")
        for size in sizes:
            while made < size:
                initiative = services.initiative_create(
                    organization=organization,
                    name=f"Initiative {made:04d}",
                    issue="Bench",
                    start_date=today - datetime.timedelta(days=100),
                )
                for item in ReadinessItem.objects.filter(initiative=initiative)[:5]:
                    services.readiness_item_tick(item=item, by=user)
                for n in range(5):
                    ActionItem.objects.create(
                        organization=organization,
                        initiative=initiative,
                        title=f"Action {n}",
                        lead=lead,
                        due_date=today + datetime.timedelta(days=n * 3 - 6),
                    )
                    Risk.objects.create(
                        organization=organization,
                        initiative=initiative,
                        description=f"Risk {n}",
                        likelihood=RiskLevel.HIGH,
                        impact=RiskLevel.MEDIUM,
                    )
                made += 1
            first = f"/o/{organization.slug}/initiatives/{initiative.pk}"
            for label, url in [
                ("dashboard", f"/o/{organization.slug}/"),
                ("initiatives list", f"/o/{organization.slug}/initiatives/"),
                ("actions due", f"/o/{organization.slug}/initiatives/actions-due/"),
                ("readiness matrix", f"{first}/readiness/"),
            ]:
                timings = []
                for _ in range(repeat):
                    with CaptureQueriesContext(connection) as captured:
                        started = time.perf_counter()
                        response = client.get(url)
                        timings.append((time.perf_counter() - started) * 1000)
                    assert response.status_code == 200, (url, response.status_code)
                self.stdout.write(
                    f"{size:>11} {label:<22} {len(captured):>7} {statistics.median(timings):>9.1f}"
                )
