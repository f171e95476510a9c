"""Benchmark: assemble and render a report card of 20 indicators to PDF; print the figures.

Builds its data set inside a transaction that is rolled back, so it leaves the
database as it found it. Target: under 5 s on one core.
"""

import io
import statistics
import time
from decimal import Decimal

from django.core.management.base import BaseCommand
from django.db import transaction
from django_scopes import scope
from pypdf import PdfReader

from backbone.models import Organization
from initiatives.models import ActionItem, Deliverable, Initiative
from measures.models import DataPoint, Indicator, Target
from plans.models import ReportCard
from plans.pdf import report_card_pdf_bytes
from stakeholders.models import Partner

QUARTERS = [f"{year}-Q{q}" for year in (2024, 2025, 2026) for q in (1, 2, 3, 4)]


class Rollback(Exception):
    pass


class Command(BaseCommand):
    help = "Time a report card of 20 indicators: assembling, and its PDF (data rolled back)."

    def add_arguments(self, parser):
        parser.add_argument("--runs", type=int, default=3)
        parser.add_argument("--indicators", type=int, default=20)

    def handle(self, *args, runs: int, indicators: int, **options):
        try:
            with transaction.atomic():
                organization = Organization.objects.create(name="Bench Collective", slug="bench-rc")
                with scope(organization=organization):
                    self.bench(organization, runs, indicators)
                raise Rollback
        except Rollback:
            pass

    def bench(self, organization, runs: int, count: int) -> None:
        initiative = Initiative.objects.create(
            organization=organization,
            name="Poverty Reduction Roundtable",
            issue="Poverty",
            start_date="2024-01-15",
        )
        partner = Partner.objects.create(
            organization=organization, name="Riverside Community Food Bank", sector="nonprofit"
        )
        for n in range(count):
            indicator = Indicator.objects.create(
                organization=organization,
                initiative=initiative,
                name=f"Shared indicator {n + 1}",
                frequency="quarterly",
                direction="up" if n % 2 else "down",
                baseline_value=Decimal(1000 + n * 10),
            )
            Target.objects.create(
                organization=organization,
                indicator=indicator,
                value=Decimal(1200),
                date="2027-12-31",
            )
            DataPoint.objects.bulk_create(
                DataPoint(
                    organization=organization,
                    indicator=indicator,
                    partner=partner,
                    period=period,
                    value=Decimal(1000 + n * 10 + i * 7),
                    status=DataPoint.Status.APPROVED,
                )
                for i, period in enumerate(QUARTERS)
            )
        for n in range(5):
            Deliverable.objects.create(
                organization=organization, initiative=initiative, title=f"Deliverable {n + 1}"
            )
        for n in range(15):
            ActionItem.objects.create(
                organization=organization,
                initiative=initiative,
                title=f"Milestone {n + 1}",
                due_date=f"2026-{n % 12 + 1:02d}-15",
                status="done" if n % 3 == 0 else "in_progress",
            )
        card = ReportCard.objects.create(
            organization=organization,
            initiative=initiative,
            period="2026-H1",
            narrative="A **good** six months.\n\n" + "We learned together. " * 40,
        )
        assemble, render, pages, size = [], [], 0, 0
        for _ in range(runs):
            start = time.perf_counter()
            data = assemble(card)
            assemble.append(time.perf_counter() - start)
            start = time.perf_counter()
            pdf = report_card_pdf_bytes(card, data)
            render.append(time.perf_counter() - start)
            pages, size = len(PdfReader(io.BytesIO(pdf)).pages), len(pdf)
        total = [a + r for a, r in zip(assemble, render, strict=True)]
        self.stdout.write(
            f"report card PDF: {count} indicators with charts, {pages} pages, {size // 1024} KiB; "
            f"{runs} runs: assemble best {min(assemble):.2f} s, render best {min(render):.2f} s, "
            f"total best {min(total):.2f} s, median {statistics.median(total):.2f} s "
            f"(target < 5 s)"
        )
