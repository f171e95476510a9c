"""Benchmark: render a ~10-page plan with six SVG charts and print the time.

The charts are the real ones of the data sections: six indicators with approved
values, each tied to a strategy by a target ("strategy and targets"), plus the
indicators' table ("what is happening now"), teams and funding commitments.

Builds its data set inside a transaction that is rolled back, so it leaves the
database as it found it. Target: under 5 s on one core.
"""

import datetime
import io
import statistics
import time
from decimal import Decimal

from django.core.management.base import BaseCommand
from django.db import transaction
from django_scopes import scope
from pypdf import PdfReader

from backbone.models import Organization
from initiatives.models import FundingCommitment, Initiative, Team
from measures.models import DataPoint, Indicator
from plans.models import SectionKey
from plans.pdf import plan_pdf_bytes
from plans.selectors.plan import version_content
from plans.services import plan as services
from stakeholders.models import Partner

PARAGRAPH = (
    "Partners align their own programs to the shared strategies, report on the shared "
    "indicators every quarter and meet monthly in action teams. The backbone convenes, "
    "keeps the data honest and tells the story of our progress to the whole community. "
)


class Rollback(Exception):
    pass


class Command(BaseCommand):
    help = "Time the PDF of a ~10-page plan with six SVG charts (data rolled back)."

    def add_arguments(self, parser):
        parser.add_argument("--runs", type=int, default=3)

    def handle(self, *args, runs: int, **options):
        try:
            with transaction.atomic():
                organization = Organization.objects.create(name="Bench Collective", slug="bench-x")
                with scope(organization=organization):
                    self.bench(organization, runs)
                raise Rollback
        except Rollback:
            pass

    def bench(self, organization, runs: int) -> None:
        initiative = Initiative.objects.create(
            organization=organization,
            name="Poverty Reduction Roundtable",
            issue="Poverty",
            start_date="2025-01-15",
        )
        plan = services.plan_start(initiative=initiative)
        version = plan.versions.get()
        for key in [k for k, _label in SectionKey.choices]:
            body = "\n\n".join(f"### Part {i}\n\n{PARAGRAPH * 3}" for i in range(1, 2))
            services.section_update(version=version, key=key, body=body)
        partner = Partner.objects.create(
            organization=organization, name="Riverside Community Food Bank", sector="non_profit"
        )
        indicators = []
        for n in range(6):
            indicator = Indicator.objects.create(
                organization=organization,
                initiative=initiative,
                name=f"Shared indicator {n + 1}",
                frequency="quarterly",
                baseline_value=Decimal(4000 + n * 100),
            )
            DataPoint.objects.bulk_create(
                DataPoint(
                    organization=organization,
                    indicator=indicator,
                    partner=partner,
                    period=f"{2024 + i // 4}-Q{i % 4 + 1}",
                    value=Decimal(4000 + n * 100 + (i * 37 % 300)),
                    status=DataPoint.Status.APPROVED,
                )
                for i in range(10)
            )
            indicators.append(indicator)
        for n in range(3):
            Team.objects.create(
                organization=organization,
                initiative=initiative,
                kind="action_team",
                name=f"Action team {n + 1}",
                charter=PARAGRAPH,
            )
            FundingCommitment.objects.create(
                organization=organization,
                initiative=initiative,
                funder=partner,
                amount=Decimal(50000),
                first_year=2025,
                last_year=2027,
            )
        for g in range(4):
            goal = services.goal_create(version=version, title=f"Goal {g + 1}")
            for s in range(4):
                strategy = services.strategy_create(
                    goal=goal, title=f"Strategy {g + 1}.{s + 1}", target="200 families"
                )
                if g * 4 + s < len(indicators):
                    services.strategy_target_create(
                        strategy=strategy,
                        indicator=indicators[g * 4 + s],
                        value=Decimal(5000),
                        date=datetime.date(2028, 12, 31),
                    )
        for i in range(24):
            services.budget_line_create(
                version=version,
                item=f"Budget item {i}",
                amount=Decimal(10000 + i),
                year=2025 + i % 3,
            )
        timings, pages = [], 0
        for _ in range(runs):
            start = time.perf_counter()
            # Fresh content each run: the data sections are read and assembled every time.
            data = plan_pdf_bytes(version_content(version))
            timings.append(time.perf_counter() - start)
            pages = len(PdfReader(io.BytesIO(data)).pages)
        charts = len(indicators)
        self.stdout.write(
            f"plan PDF with data sections: {pages} pages, {charts} trend charts, "
            f"{len(data) // 1024} KiB; "
            f"{runs} runs: best {min(timings):.2f} s, median {statistics.median(timings):.2f} s "
            f"(target < 5 s)"
        )
