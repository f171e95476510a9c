"""Reads of an initiative's rows: risks by severity, teams in order, action items with
what they show, and the funding summary."""

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Case, IntegerField, QuerySet, Value, When

from ..models import LEVEL_SCORE, ActionItem, FundingCommitment, Initiative, Risk, Team, TeamKind


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
