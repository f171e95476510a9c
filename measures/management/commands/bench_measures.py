"""Benchmark: the measures dashboard of a large initiative and bulk approval of 500 values.

Builds 50 indicators × 40 periods × 10 partners (20,000 approved data points) inside a
transaction that is rolled back, then times the pages through Django's test client
(server time: middleware, views, templates; no network) and counts their queries.
"""

import statistics
import time
from decimal import Decimal

from django.core.management.base import BaseCommand
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext, override_settings
from django.urls import reverse
from django_scopes import scopes_disabled

from backbone.benchmarks import rolled_back
from backbone.models import Membership, Organization, Role, User
from initiatives.models import Initiative
from stakeholders.models import Partner

from ...models import DataPoint, Indicator, Target
from ...periods import Period


class Command(BaseCommand):
    help = "Time the measures dashboard (20,000 data points) and a 500-value bulk approval."

    def add_arguments(self, parser):
        parser.add_argument("--runs", type=int, default=7)

    def handle(self, *args, runs: int, **options):
        with scopes_disabled(), rolled_back(), override_settings(ALLOWED_HOSTS=["*"]):
            self.run(runs)
        self.stdout.write("(all benchmark data rolled back)")

    def run(self, runs: int) -> None:
        org = Organization.objects.create(name="Bench Collective", slug="bench-measures")
        user = User.objects.create_user(email="bench-coordinator@example.org", password="x")  # noqa: S106
        Membership.objects.create(user=user, organization=org, role=Role.COORDINATOR)
        initiative = Initiative.objects.create(
            organization=org, name="Bench initiative", issue="bench", start_date="2015-01-01"
        )
        partners = Partner.objects.bulk_create(
            Partner(organization=org, name=f"Partner {n}", sector="non_profit") for n in range(10)
        )
        indicators = Indicator.objects.bulk_create(
            Indicator(
                organization=org,
                initiative=initiative,
                name=f"Indicator {n:02d}",
                definition="Bench",
                frequency="quarterly",
                aggregation="mean",
                baseline_value=Decimal(100),
            )
            for n in range(50)
        )
        Target.objects.bulk_create(
            Target(organization=org, indicator=i, value=Decimal(200), date="2026-12-31")
            for i in indicators
        )
        periods, current = [], Period(2016, 1, "quarterly")
        for _ in range(40):
            periods.append(current.key)
            current = current.next()
        started = time.perf_counter()
        DataPoint.objects.bulk_create(
            (
                DataPoint(
                    organization=org,
                    indicator=i,
                    partner=p,
                    period=key,
                    value=Decimal(100 + n + k),
                    status=DataPoint.Status.APPROVED,
                )
                for i in indicators
                for k, p in enumerate(partners)
                for n, key in enumerate(periods)
            ),
            batch_size=2000,
        )
        count = DataPoint.objects.filter(organization=org).count()
        self.stdout.write(f"built {count} data points in {time.perf_counter() - started:.1f} s")

        client = Client()
        client.force_login(user)
        url = reverse(
            "measures:dashboard", kwargs={"org_slug": org.slug, "initiative_id": initiative.pk}
        )
        client.get(url)  # warm caches (templates, URL resolver)
        timings, queries = [], 0
        for _ in range(runs):
            with CaptureQueriesContext(connection) as captured:
                started = time.perf_counter()
                response = client.get(url)
                timings.append((time.perf_counter() - started) * 1000)
            assert response.status_code == 200, response.status_code
            queries = len(captured)
        self.stdout.write(
            f"dashboard, 50 indicators × 40 periods × 10 partners: median "
            f"{statistics.median(timings):.0f} ms, best {min(timings):.0f} ms over {runs} runs, "
            f"{queries} queries, {len(response.content) // 1024} KiB"
        )

        # 500 submitted values approved in one request.
        DataPoint.objects.filter(
            pk__in=list(
                DataPoint.objects.filter(organization=org).values_list("pk", flat=True)[:500]
            )
        ).update(status=DataPoint.Status.SUBMITTED)
        ids = list(
            DataPoint.objects.filter(organization=org, status="submitted").values_list(
                "pk", flat=True
            )
        )
        approvals = reverse("measures:approvals", kwargs={"org_slug": org.slug})
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            response = client.post(approvals, {"points": ids, "action": "approve"})
            elapsed = (time.perf_counter() - started) * 1000
        approved = DataPoint.objects.filter(pk__in=ids, status="approved").count()
        self.stdout.write(
            f"bulk approval: {approved} of {len(ids)} values approved in one request, "
            f"{elapsed:.0f} ms, {len(captured)} queries (status {response.status_code})"
        )
