"""Reads: which initiatives a member sees, and the figures the pages show about them."""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import (
    Case,
    Count,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404

from backbone.models import Membership, Role
from stakeholders.selectors import partner_of

from .models import (
    LEVEL_SCORE,
    PHASE_ORDER,
    ActionItem,
    Component,
    Deliverable,
    FundingCommitment,
    Initiative,
    Phase,
    ReadinessItem,
    Risk,
    RiskStatus,
    Team,
    TeamKind,
    WorkStatus,
)


def initiatives_visible_to(
    membership: Membership, *, include_archived: bool = False
) -> QuerySet[Initiative]:
    """The initiatives this member may see.

    Staff and roundtable members see all of the organization's; a partner user
    sees those their partner takes part in (none while they are not linked).
    """
    queryset = Initiative.objects.filter(organization_id=membership.organization_id)
    if not include_archived:
        queryset = queryset.filter(archived_at__isnull=True)
    if membership.role == Role.PARTNER:
        partner = partner_of(membership)
        if partner is None:
            return queryset.none()
        queryset = queryset.filter(partner_links__partner=partner).distinct()
    return queryset


def initiative_for(membership: Membership, initiative_id: int) -> Initiative:
    """The initiative if this member may see it (archived ones included), else 404."""
    return get_object_or_404(
        initiatives_visible_to(membership, include_archived=True).select_related("sponsor"),
        pk=initiative_id,
    )


def row_for(membership: Membership, queryset: QuerySet, pk: int):
    """A row (risk, team, …) of an initiative this member may see, else 404."""
    visible = initiatives_visible_to(membership, include_archived=True)
    return get_object_or_404(
        queryset.filter(
            organization_id=membership.organization_id, initiative__in=visible
        ).select_related("initiative"),
        pk=pk,
    )


def _count(queryset: QuerySet) -> Subquery:
    """A correlated COUNT(*) subquery (no joins, so several counts don't multiply)."""
    return Coalesce(
        Subquery(
            queryset.order_by().values("initiative_id").annotate(n=Count("id")).values("n"),
            output_field=IntegerField(),
        ),
        Value(0),
    )


def severity_expression() -> Case:
    """Likelihood × impact as SQL, so risks sort by severity in the database."""
    return Case(
        *[
            When(likelihood=likelihood, impact=impact, then=Value(ls * li))
            for likelihood, ls in LEVEL_SCORE.items()
            for impact, li in LEVEL_SCORE.items()
        ],
        default=Value(0),
        output_field=IntegerField(),
    )


def risks_by_severity(queryset: QuerySet[Risk]) -> QuerySet[Risk]:
    return queryset.annotate(severity_score=severity_expression()).order_by("-severity_score", "id")


def with_progress(
    queryset: QuerySet[Initiative], *, today: datetime.date, top_risks: bool = False
) -> QuerySet[Initiative]:
    """Annotate each initiative with the figures of its card, in one query (plus one for risks)."""
    mine = Q(initiative_id=OuterRef("pk"))
    current = ReadinessItem.objects.filter(mine, phase=OuterRef("phase"))
    queryset = queryset.annotate(
        readiness_total=_count(current),
        readiness_done=_count(current.filter(done_on__isnull=False)),
        deliverables_total=_count(Deliverable.objects.filter(mine)),
        deliverables_done=_count(Deliverable.objects.filter(mine, status=WorkStatus.DONE)),
        overdue_actions=_count(
            ActionItem.objects.filter(mine, due_date__lt=today).exclude(status=WorkStatus.DONE)
        ),
    )
    if top_risks:
        queryset = queryset.prefetch_related(
            Prefetch(
                "risks",
                queryset=risks_by_severity(Risk.objects.filter(status=RiskStatus.OPEN)),
                to_attr="open_risks",
            )
        )
    return queryset


def readiness_percent(done: int, total: int) -> int | None:
    """Percent of items ticked, rounded down (100 only when all are done); None for no items."""
    if not total:
        return None
    return done * 100 // total


@dataclass
class Cell:
    phase: str
    component: str
    current: bool
    items: list[ReadinessItem] = field(default_factory=list)

    @property
    def done(self) -> int:
        return sum(1 for item in self.items if item.is_done)

    @property
    def total(self) -> int:
        return len(self.items)

    @property
    def percent(self) -> int | None:
        return readiness_percent(self.done, self.total)


@dataclass
class Row:
    component: str
    label: str
    cells: list[Cell]


@dataclass
class ReadinessGrid:
    phases: list[tuple[str, str, bool]]  # value, label, is current
    rows: list[Row]

    def column(self, phase: str) -> list[Cell]:
        return [cell for row in self.rows for cell in row.cells if cell.phase == phase]

    def percent_of(self, phase: str) -> int | None:
        cells = self.column(phase)
        return readiness_percent(sum(c.done for c in cells), sum(c.total for c in cells))

    def open_items_of(self, phase: str) -> list[ReadinessItem]:
        return [item for cell in self.column(phase) for item in cell.items if not item.is_done]


def readiness_grid(initiative: Initiative) -> ReadinessGrid:
    """The 4×4 matrix (components × phases) with its items, in one query."""
    cells = {
        (component, phase): Cell(
            phase=phase, component=component, current=phase == initiative.phase
        )
        for component in Component.values
        for phase in PHASE_ORDER
    }
    for item in ReadinessItem.objects.filter(initiative=initiative).select_related("done_by"):
        cells[(item.component, item.phase)].items.append(item)
    return ReadinessGrid(
        phases=[(p.value, p.label, p.value == initiative.phase) for p in Phase],
        rows=[
            Row(
                component=c.value,
                label=c.label,
                cells=[cells[(c.value, phase)] for phase in PHASE_ORDER],
            )
            for c in Component
        ],
    )


def teams_of(initiative: Initiative) -> QuerySet[Team]:
    """Teams in the order of the seeds (roundtable first, "other" last), members included."""
    kind_order = Case(
        *[When(kind=kind, then=Value(n)) for n, kind in enumerate(TeamKind.values)],
        output_field=IntegerField(),
    )
    return (
        Team.objects.filter(initiative=initiative)
        .select_related("chair")
        .prefetch_related("members__contact")
        .order_by(kind_order, "name")
    )


def action_items_of(queryset: QuerySet[ActionItem]) -> QuerySet[ActionItem]:
    return queryset.select_related("lead", "deliverable", "initiative")


def action_items_due(
    membership: Membership, *, today: datetime.date
) -> tuple[list[ActionItem], list[ActionItem]]:
    """(overdue, due this week) open action items across the initiatives this member sees."""
    week_end = today + datetime.timedelta(days=7)
    rows = action_items_of(
        ActionItem.objects.filter(
            organization_id=membership.organization_id,
            initiative__in=initiatives_visible_to(membership),
            due_date__lte=week_end,
        ).exclude(status=WorkStatus.DONE)
    )
    overdue, this_week = [], []
    for row in rows:
        (overdue if row.due_date < today else this_week).append(row)
    return overdue, this_week


@dataclass
class FundingSummary:
    by_status: dict[tuple[str, str], Decimal]  # (status label, currency) → total
    by_year: list[tuple[int, str, Decimal, Decimal]]  # year, currency, cash, in kind
    open_budget: dict[str, Decimal]  # currency → everything committed, cash and in kind


def funding_summary(commitments: list[FundingCommitment]) -> FundingSummary:
    by_status: dict[tuple[str, str], Decimal] = defaultdict(Decimal)
    by_year: dict[tuple[int, str], list[Decimal]] = defaultdict(lambda: [Decimal(0), Decimal(0)])
    open_budget: dict[str, Decimal] = defaultdict(Decimal)
    for c in commitments:
        by_status[(c.get_status_display(), c.currency)] += c.total
        open_budget[c.currency] += c.total
        for year in range(c.first_year, c.last_year + 1):
            by_year[(year, c.currency)][0 if c.kind == "cash" else 1] += c.amount
    return FundingSummary(
        by_status=dict(sorted(by_status.items())),
        by_year=[(y, cur, v[0], v[1]) for (y, cur), v in sorted(by_year.items())],
        open_budget=dict(sorted(open_budget.items())),
    )
