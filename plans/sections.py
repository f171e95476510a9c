"""The plan's sections and the one registry of renderers that assemble them from data.

A section is the coordinator's Markdown text followed by whatever the renderers
registered for its key make from data: the plan's own goals, strategies and budget
lines, and the live data of the apps below (indicator values, targets, the
initiative's teams, funding, engagement events). A renderer registers with
`@section_renderer(SectionKey.NOW)`, returns trusted HTML and may return inline SVG:
the same markup goes to the page and into the PDF.

The live data is read once per version content (`plan_data`) in a fixed number of
queries. An adopted version never reaches the renderers: it shows the HTML stored on
adoption (`PlanVersion.data_snapshot`).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Prefetch
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe

from backbone.markdown import render_document_markdown as render_markdown
from initiatives.models import Attendance, EngagementEvent, EventKind, FundingCommitment, Initiative
from initiatives.selectors import FundingSummary, funding_summary, teams_of
from measures.charts import trend_svg
from measures.models import Indicator, Target
from measures.periods import Period
from measures.selectors import IndicatorStatus, approved_series_for, indicator_status
from measures.sharing import partner_values

from .models import SECTION_ORDER, SectionKey
from .selectors.plan import VersionContent


@dataclass(frozen=True)
class SectionContext:
    content: VersionContent
    key: str
    for_pdf: bool = False


Renderer = Callable[[SectionContext], str]

RENDERERS: dict[str, list[Renderer]] = defaultdict(list)


def section_renderer(key: str) -> Callable[[Renderer], Renderer]:
    """Register a function that assembles part of section `key` from data."""

    def decorator(function: Renderer) -> Renderer:
        RENDERERS[key].append(function)
        return function

    return decorator


@dataclass(frozen=True)
class RenderedSection:
    key: str
    number: int
    title: str
    text_html: SafeString
    data_html: SafeString

    @property
    def anchor(self) -> str:
        return f"section-{self.key}"

    @property
    def is_empty(self) -> bool:
        return not self.text_html.strip() and not self.data_html.strip()


def data_sections(content: VersionContent) -> dict[str, str]:
    """{section key: HTML assembled from data}. An adopted version shows what was stored
    on adoption day (live tables change, it does not); a draft is assembled live, once
    per content."""
    snapshot = content.version.data_snapshot
    if snapshot is not None:
        return {key: snapshot.get(key, "") for key in SECTION_ORDER}
    if content.data_html is None:
        content.data_html = {
            key: "".join(
                renderer(SectionContext(content=content, key=key))
                for renderer in RENDERERS.get(key, [])
            )
            for key in SECTION_ORDER
        }
    return content.data_html


def render_sections(content: VersionContent, *, for_pdf: bool = False) -> list[RenderedSection]:
    labels = dict(SectionKey.choices)
    rendered = []
    assembled = data_sections(content)
    for number, key in enumerate(SECTION_ORDER, start=1):
        section = content.sections.get(key)
        data = assembled.get(key, "")
        rendered.append(
            RenderedSection(
                key=key,
                number=number,
                title=str(labels[key]),
                text_html=render_markdown(section.body if section else ""),
                data_html=mark_safe(data),  # noqa: S308 - renderers return trusted templates
            )
        )
    return rendered


# The renderers of data this app owns.


@section_renderer(SectionKey.VISION_GOALS)
def goals_list(context: SectionContext) -> str:
    if not context.content.goals:
        return ""
    return render_to_string("plans/sections/goals.html", {"content": context.content})


@section_renderer(SectionKey.STRATEGY_TARGETS)
def strategies_by_goal(context: SectionContext) -> str:
    content = context.content
    if not any(goal.strategies.all() for goal in content.goals):
        return ""
    return render_to_string("plans/sections/strategies.html", {"content": content})


@section_renderer(SectionKey.STRATEGY_TARGETS)
def engagement_strategy(context: SectionContext) -> str:
    if not context.content.engagement_activities:
        return ""
    return render_to_string("plans/sections/engagement.html", {"content": context.content})


@section_renderer(SectionKey.BUDGET)
def budget_table(context: SectionContext) -> str:
    if not context.content.budget_lines:
        return ""
    return render_to_string("plans/sections/budget.html", {"content": context.content})


# The renderers of data that lives in the apps below (indicators, governance, funding).


@dataclass
class IndicatorRow:
    indicator: Indicator
    series: list[tuple[Period, Decimal]]
    targets: list[Target]
    status: IndicatorStatus

    @property
    def latest(self) -> tuple[Period, Decimal] | None:
        return self.series[-1] if self.series else None

    @property
    def latest_value(self) -> str:
        return self.indicator.format_value(self.latest[1]) if self.latest else ""

    @property
    def baseline(self) -> str:
        return self.indicator.format_value(self.indicator.baseline_value)

    @property
    def next_target(self) -> Target | None:
        return self.targets[0] if self.targets else None

    def chart(self, *, targets=None, width: int = 480, height: int = 200) -> str:
        return mark_safe(  # noqa: S308 - measures.charts escapes every text it writes
            trend_svg(
                self.indicator,
                self.series,
                targets=self.targets if targets is None else targets,
                width=width,
                height=height,
            )
        )


def indicator_rows(initiative: Initiative, *, up_to: Period | None = None) -> list[IndicatorRow]:
    """Every indicator of the initiative with its approved series (cut at `up_to`'s end),
    targets and status: four queries whatever the number of indicators."""
    indicators = list(
        Indicator.objects.filter(initiative=initiative)
        .prefetch_related(Prefetch("targets", queryset=Target.objects.order_by("date")))
        .order_by("name")
    )
    series_by_id = approved_series_for(indicators)
    rows = []
    for indicator in indicators:
        series = series_by_id.get(indicator.pk, [])
        if up_to is not None:
            series = [(p, v) for p, v in series if p.end <= up_to.end]
        targets = list(indicator.targets.all())
        rows.append(
            IndicatorRow(
                indicator=indicator,
                series=series,
                targets=targets,
                status=indicator_status(indicator, series, targets),
            )
        )
    return rows


@dataclass
class PlanData:
    rows: list[IndicatorRow]
    teams: list
    commitments: list[FundingCommitment]

    @property
    def active_rows(self) -> list[IndicatorRow]:
        return [row for row in self.rows if row.indicator.is_active]

    @property
    def rows_by_id(self) -> dict[int, IndicatorRow]:
        return {row.indicator.pk: row for row in self.rows}

    @property
    def funding(self) -> FundingSummary:
        return funding_summary(self.commitments)


def plan_data(content: VersionContent) -> PlanData:
    """The live data of the content's initiative, read once and kept on the content."""
    if content.live_data is None:
        initiative = content.initiative
        content.live_data = PlanData(
            rows=indicator_rows(initiative),
            teams=list(teams_of(initiative)),
            commitments=list(
                FundingCommitment.objects.filter(initiative=initiative).select_related("funder")
            ),
        )
    return content.live_data


@section_renderer(SectionKey.NOW)
def indicators_now(context: SectionContext) -> str:
    rows = plan_data(context.content).active_rows
    if not rows:
        return ""
    # A plan is published: partners' own values only where an agreement allows it.
    by_partner = partner_values(
        {row.indicator.pk: row.latest[0].key for row in rows if row.latest}, public=True
    )
    shown = {}
    for pk, values in by_partner.items():
        indicator = next(row.indicator for row in rows if row.indicator.pk == pk)
        shown[pk] = {
            "shown": [(p.name, indicator.format_value(v)) for p, v in values.shown],
            "hidden_reason": values.hidden_reason,
        }
    return render_to_string(
        "plans/sections/now.html",
        {"rows": [(row, shown.get(row.indicator.pk)) for row in rows]},
    )


@section_renderer(SectionKey.STRATEGY_TARGETS)
def strategy_targets(context: SectionContext) -> str:
    content = context.content
    strategies = [
        strategy
        for goal in content.goals
        for strategy in goal.strategies.all()
        if strategy.targets.all()
    ]
    if not strategies:
        return ""
    rows = plan_data(content).rows_by_id
    blocks = []
    for strategy in strategies:
        targets = list(strategy.targets.all())
        charts = []
        for indicator_id in dict.fromkeys(t.indicator_id for t in targets):
            row = rows.get(indicator_id)
            if row is not None and row.series:
                mine = [t for t in targets if t.indicator_id == indicator_id]
                charts.append(row.chart(targets=mine, height=180))
        blocks.append({"strategy": strategy, "targets": targets, "charts": charts})
    return render_to_string("plans/sections/strategy_targets.html", {"blocks": blocks})


@section_renderer(SectionKey.GOVERNANCE)
def governance_model(context: SectionContext) -> str:
    teams = plan_data(context.content).teams
    sponsor = context.content.initiative.sponsor
    if not teams and sponsor is None:
        return ""
    return render_to_string(
        "plans/sections/governance.html",
        {"teams": teams, "sponsor": sponsor, "initiative": context.content.initiative},
    )


@section_renderer(SectionKey.BUDGET)
def funding_commitments(context: SectionContext) -> str:
    data = plan_data(context.content)
    if not data.commitments:
        return ""
    return render_to_string(
        "plans/sections/funding.html",
        {"commitments": data.commitments, "funding": data.funding},
    )


@section_renderer(SectionKey.STRATEGY_TARGETS)
def engagement_recorded(context: SectionContext) -> str:
    """What the initiative has recorded against its engagement strategy: events held by kind
    and the people who came, beside the plan's own targets."""
    if not context.content.engagement_activities:
        return ""
    initiative = context.content.initiative
    now = timezone.now()
    by_kind = list(
        EngagementEvent.objects.filter(initiative=initiative, starts_at__lte=now)
        .values("kind")
        .annotate(
            events=Count("id", distinct=True), people=Count("attendances__contact", distinct=True)
        )
        .order_by("kind")
    )
    attended = Attendance.objects.filter(event__initiative=initiative, event__starts_at__lte=now)
    totals = attended.aggregate(
        people=Count("contact", distinct=True), sectors=Count("contact__sector", distinct=True)
    )
    labels = dict(EventKind.choices)
    targeted = sum(a.target_number or 0 for a in context.content.engagement_activities)
    return render_to_string(
        "plans/sections/engagement_recorded.html",
        {
            "rows": [{**row, "label": labels.get(row["kind"], row["kind"])} for row in by_kind],
            "events": sum(row["events"] for row in by_kind),
            "people": totals["people"],
            "sectors": totals["sectors"],
            "targeted": targeted,
            "today": timezone.localdate(),
        },
    )
