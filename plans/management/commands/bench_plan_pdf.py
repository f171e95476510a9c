"""Benchmark: render a ~10-page plan with six SVG charts and print the time.

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
from initiatives.models import Initiative
from plans import sections, services
from plans.models import SectionKey
from plans.pdf import plan_pdf_bytes
from plans.selectors import version_content

PARAGRAPH = (
    "Partners align their own programs to the shared strategies, report on the shared "
    "indicators every quarter and meet monthly in action teams. The backbone convenes, "
    "keeps the data honest and tells the story of our progress to the whole community. "
)


def bar_chart(title: str, values: list[int]) -> str:
    """A self-contained SVG bar chart, like the ones the measures app makes."""
    width, height, gap = 480, 200, 8
    bar = (width - 40) / len(values) - gap
    top = max(values)
    bars = "".join(
        f'<rect x="{40 + i * (bar + gap):.1f}" y="{170 - 140 * v / top:.1f}" '
        f'width="{bar:.1f}" height="{140 * v / top:.1f}" fill="#1f5f5b"/>'
        f'<text x="{40 + i * (bar + gap):.1f}" y="190" font-size="10">{2019 + i}</text>'
        for i, v in enumerate(values)
    )
    return (
        f'<figure><svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" role="img" aria-label="{title}">'
        f'<text x="0" y="14" font-size="12" font-weight="bold">{title}</text>'
        f'<line x1="38" y1="170" x2="{width}" y2="170" stroke="#5f6b6e"/>{bars}</svg></figure>'
    )


CHARTS = [
    bar_chart(f"Indicator {n}", [4200 - n * 100 + (i * 37 % 300) for i in range(7)])
    for n in range(1, 7)
]


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
        for g in range(4):
            goal = services.goal_create(version=version, title=f"Goal {g + 1}")
            for s in range(4):
                services.strategy_create(
                    goal=goal, title=f"Strategy {g + 1}.{s + 1}", target="200 families"
                )
        for i in range(24):
            services.budget_line_create(
                version=version,
                item=f"Budget item {i}",
                amount=Decimal(10000 + i),
                year=2025 + i % 3,
            )
        # Six charts in "what is happening now", through the section renderer registry.
        sections.RENDERERS[SectionKey.NOW].append(lambda context: "".join(CHARTS))
        try:
            content = version_content(version)
            timings, pages = [], 0
            for _ in range(runs):
                start = time.perf_counter()
                data = plan_pdf_bytes(content)
                timings.append(time.perf_counter() - start)
                pages = len(PdfReader(io.BytesIO(data)).pages)
        finally:
            sections.RENDERERS[SectionKey.NOW].pop()
        self.stdout.write(
            f"plan PDF: {pages} pages, 6 SVG charts, {len(data) // 1024} KiB; "
            f"{runs} runs: best {min(timings):.2f} s, median {statistics.median(timings):.2f} s "
            f"(target < 5 s)"
        )
