"""Reads: which initiatives (and rows of initiatives) a member sees, and the figures of
their cards on the dashboard and the list."""

import datetime

from django.db.models import (
    Count,
    Model,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
)

from backbone.models import Membership, Role
from backbone.queries import subquery_count
from stakeholders.selectors import partner_of

from ..models import (
    ActionItem,
    Deliverable,
    Initiative,
    ReadinessItem,
    Risk,
    RiskStatus,
    WorkStatus,
)
from .rows import action_items_of, risks_by_severity


def initiatives_visible_to(
    membership: Membership, *, include_archived: bool = False
) -> QuerySet[Initiative]:
    """The initiatives this member may see.

    Staff and roundtable members see all of the organization's; a partner user
    sees those their partner takes part in (none while they are not linked). A page that
    asks many times (the home) gives the membership a `memo` dict: the queryset is built
    once there (callers only filter it further, which copies it).
    """
    memo = getattr(membership, "memo", None)
    if memo is not None and ("initiatives", include_archived) in memo:
        return memo[("initiatives", include_archived)]
    queryset = Initiative.objects.filter(organization_id=membership.organization_id)
    if not include_archived:
        queryset = queryset.filter(archived_at__isnull=True)
    if membership.role == Role.PARTNER:
        partner = partner_of(membership)
        if partner is None:
            queryset = queryset.none()
        else:
            queryset = queryset.filter(partner_links__partner=partner).distinct()
    if memo is not None:
        memo[("initiatives", include_archived)] = queryset
    return queryset


def initiatives_readable_by(membership: Membership) -> QuerySet[Initiative]:
    """Every initiative this member may open, archived ones included (they stay readable,
    only the lists hide them): what a view looks an initiative up in."""
    return initiatives_visible_to(membership, include_archived=True).select_related("sponsor")


def rows_visible_to(
    membership: Membership, source: type[Model] | QuerySet, *, through: str = "initiative"
) -> QuerySet:
    """The rows of `source` (risks, teams, events, …) that belong to an initiative this member
    sees, archived initiatives included (they stay readable). `through` is the path from
    the row to its initiative, e.g. "team__initiative" for a team member."""
    queryset = source if isinstance(source, QuerySet) else source.objects.all()
    visible = initiatives_visible_to(membership, include_archived=True)
    return queryset.filter(
        organization_id=membership.organization_id, **{f"{through}__in": visible}
    ).select_related(through)


def _count(queryset: QuerySet):
    return subquery_count(queryset, "initiative_id")


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
        overdue_deliverables=_count(
            Deliverable.objects.filter(mine, due_date__lt=today).exclude(status=WorkStatus.DONE)
        ),
    )
    if top_risks:
        queryset = queryset.prefetch_related(
            Prefetch(
                "risks",
                # Sliced: the database keeps the three worst per initiative (a window).
                queryset=risks_by_severity(Risk.objects.filter(status=RiskStatus.OPEN))[:3],
                to_attr="open_risks",
            )
        )
    return queryset


def initiative_progress(initiative: Initiative, *, today: datetime.date) -> dict[str, int]:
    """The figures of one initiative's overview (its deliverables and overdue work), in two
    plain counts: `with_progress` is for lists, its correlated subqueries cost more to build
    than to run for a single initiative."""
    open_work = ~Q(status=WorkStatus.DONE)
    progress = Deliverable.objects.filter(initiative=initiative).aggregate(
        deliverables_total=Count("id"),
        deliverables_done=Count("id", filter=Q(status=WorkStatus.DONE)),
        overdue_deliverables=Count("id", filter=Q(due_date__lt=today) & open_work),
    )
    progress["overdue_actions"] = ActionItem.objects.filter(
        open_work, initiative=initiative, due_date__lt=today
    ).count()
    return progress


def action_items_due_counts(membership: Membership, *, today: datetime.date) -> tuple[int, int]:
    """(overdue, due this week) counts of what `action_items_due` lists: one COUNT query,
    for pages that show the numbers only (the organization's home)."""
    week_end = today + datetime.timedelta(days=7)
    counts = (
        ActionItem.objects.filter(
            organization_id=membership.organization_id,
            initiative__in=initiatives_visible_to(membership),
            due_date__lte=week_end,
        )
        .exclude(status=WorkStatus.DONE)
        .aggregate(
            overdue=Count("id", filter=Q(due_date__lt=today)),
            this_week=Count("id", filter=Q(due_date__gte=today)),
        )
    )
    return counts["overdue"], counts["this_week"]


def action_items_due_queryset(
    membership: Membership, *, today: datetime.date
) -> QuerySet[ActionItem]:
    """The open action items overdue or due within seven days, across the initiatives this
    member sees (lead, deliverable and initiative fetched with them)."""
    week_end = today + datetime.timedelta(days=7)
    return action_items_of(
        ActionItem.objects.filter(
            organization_id=membership.organization_id,
            initiative__in=initiatives_visible_to(membership),
            due_date__lte=week_end,
        ).exclude(status=WorkStatus.DONE)
    )
