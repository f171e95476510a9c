"""Reads of shared measurement. Only approved data reaches series, charts and statuses."""

import datetime
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.core.paginator import Paginator
from django.db.models import Count, Prefetch, Q, QuerySet, Sum, prefetch_related_objects
from django.utils.translation import gettext_lazy as _

from backbone.models import Membership, Role
from initiatives.models import Initiative
from initiatives.selectors import initiatives_visible_to
from stakeholders.models import Partner
from stakeholders.selectors import partner_of

from .charts import trend_svg
from .models import (
    Aggregation,
    CurveStory,
    DataPoint,
    DataRequest,
    Direction,
    GlossaryTerm,
    Indicator,
    Resolution,
    Target,
)
from .periods import Period, frequency_of, parse_period, periods_between

Status = DataPoint.Status


def measured_initiatives(membership: Membership) -> QuerySet[Initiative]:
    """The initiatives whose measures this member may read, archived ones included (they
    stay readable; `access(..., write=True)` refuses changes to them)."""
    return initiatives_visible_to(membership, include_archived=True)


def indicators_visible_to(membership: Membership) -> QuerySet[Indicator]:
    """The indicators of the initiatives whose measures this member may read."""
    return Indicator.objects.filter(
        organization_id=membership.organization_id,
        initiative__in=measured_initiatives(membership),
    ).select_related("initiative", "champion")


def data_points_visible_to(membership: Membership) -> QuerySet[DataPoint]:
    """Staff and roundtable see every value; a partner user only its own partner's."""
    queryset = DataPoint.objects.filter(organization_id=membership.organization_id)
    if membership.role == Role.PARTNER:
        partner = partner_of(membership)
        if partner is None:
            return queryset.none()
        queryset = queryset.filter(partner=partner)
    return queryset


def is_requested(indicator: Indicator, partner: Partner, period: str) -> bool:
    rows = DataRequest.objects.filter(
        indicator=indicator, partner=partner, period__in=["", period]
    ).values_list("period", "excluded")
    found = dict(rows)
    if period in found:
        return not found[period]
    return "" in found and not found[""]


def previous_value(
    indicator: Indicator, period: str, partner: Partner, cell: str
) -> tuple[Decimal | None, str]:
    """What a new value is compared with to flag an implausible jump: the partner's value of
    the period just before (period ""), or, when that one is missing or was returned, the
    partner's last approved value of an earlier period (with that period's key)."""
    here = parse_period(period, indicator.frequency)
    mine = DataPoint.objects.filter(indicator=indicator, partner=partner, cell=cell)
    return previous_among(indicator, here, mine.values_list("period", "value", "status"))


def previous_values(
    indicators: list[Indicator], partner: Partner
) -> dict[tuple[int, str], list[tuple[str, Decimal, str]]]:
    """The partner's values of `indicators` as (period, value, status), by (indicator id,
    cell), to find each one's `previous_among` without a query per value. One query."""
    history = defaultdict(list)
    rows = DataPoint.objects.filter(indicator__in=indicators, partner=partner).values_list(
        "indicator_id", "cell", "period", "value", "status"
    )
    for indicator_id, cell, *row in rows:
        history[(indicator_id, cell)].append(tuple(row))
    return history


def previous_among(
    indicator: Indicator, here: Period, rows: Iterable[tuple[str, Decimal, str]]
) -> tuple[Decimal | None, str]:
    """`previous_value` among one partner's values of one cell, (period, value, status)."""
    rows = list(rows)
    before = here.previous().key
    for key, value, status in rows:
        if key == before and status != Status.RETURNED:
            return value, ""
    earlier = []
    for key, value, status in rows:
        if status != Status.APPROVED:
            continue
        try:
            found = parse_period(key, indicator.frequency)
        except ValueError:
            continue
        if found < here:
            earlier.append((found, value))
    if not earlier:
        return None, ""
    found, value = max(earlier, key=lambda pair: pair[0])
    return value, found.key


def last_approved_values(
    indicators: list[Indicator], partner: Partner, period: str
) -> dict[tuple[int, str], tuple[Decimal, str]]:
    """For the entry form: per (indicator, cell), the partner's last approved value of an
    earlier period and that period's key. One query."""
    rows = DataPoint.objects.filter(
        indicator__in=indicators, partner=partner, status=Status.APPROVED
    ).values_list("indicator_id", "cell", "period", "value")
    by_id = {i.pk: i for i in indicators}
    best: dict[tuple[int, str], tuple[Period, Decimal]] = {}
    for indicator_id, cell, key, value in rows:
        indicator = by_id[indicator_id]
        try:
            found, here = (
                parse_period(key, indicator.frequency),
                parse_period(period, indicator.frequency),
            )
        except ValueError:
            continue
        current = best.get((indicator_id, cell))
        if found < here and (current is None or found > current[0]):
            best[(indicator_id, cell)] = (found, value)
    return {key: (value, found.key) for key, (found, value) in best.items()}


def _combine(count: int, total: Decimal, rule: str) -> Decimal | None:
    if count == 1:
        return total
    if rule == Aggregation.SUM:
        return total
    if rule == Aggregation.MEAN:
        return total / count
    return None  # "pick": waits for the coordinator's choice


def approved_series_for(indicators: list[Indicator]) -> dict[int, list[tuple[Period, Decimal]]]:
    """Approved totals per indicator and period, conflicts settled: two queries in all.

    The database sums and counts the partners' values of each period, so one row per
    period comes back however many partners report."""
    by_id = {i.pk: i for i in indicators}
    rows = (
        DataPoint.objects.filter(indicator_id__in=list(by_id), status=Status.APPROVED, cell="")
        .order_by()
        .values("indicator_id", "period")
        .annotate(n=Count("id"), total=Sum("value"))
        .values_list("indicator_id", "period", "n", "total")
    )
    settled = {
        (r[0], r[1]): r[2]
        for r in Resolution.objects.filter(indicator_id__in=list(by_id)).values_list(
            "indicator_id", "period", "value"
        )
    }
    points: dict[int, list[tuple[Period, Decimal]]] = {pk: [] for pk in by_id}
    for indicator_id, key, count, total in rows:
        indicator = by_id[indicator_id]
        value = settled.get((indicator_id, key))
        if value is None:
            value = _combine(count, total, indicator.aggregation)
        if value is None:
            continue
        try:
            points[indicator_id].append((parse_period(key, indicator.frequency), value))
        except ValueError:
            continue
    return {pk: sorted(series) for pk, series in points.items()}


def approved_series(indicator: Indicator) -> list[tuple[Period, Decimal]]:
    """What the plans app charts and reports: (period, approved value) in period order."""
    return approved_series_for([indicator])[indicator.pk]


@dataclass(frozen=True)
class IndicatorStatus:
    trend: str  # improving, worsening, flat, not_enough_data
    on_track: bool | None  # None: no target or no data

    @property
    def trend_label(self) -> str:
        return str(TREND_LABELS[self.trend])


TREND_LABELS = {
    "improving": _("Improving"),
    "worsening": _("Worsening"),
    "flat": _("Flat"),
    "not_enough_data": _("Not enough data"),
}


def indicator_status(
    indicator: Indicator, series: list[tuple[Period, Decimal]] | None = None, targets=None
) -> IndicatorStatus:
    """The trend compares the latest approved value with the one a year before (or the
    earliest there is; within 1 % counts as flat), so one noisy quarter does not flip it.
    On track: the latest value has met the next target, or the pace since the first value
    reaches it by its date."""
    if series is None:
        series = approved_series(indicator)
    if targets is None:
        targets = list(indicator.targets.all())
    if len(series) < 2:
        trend = "not_enough_data"
    else:
        per_year = {"monthly": 12, "quarterly": 4, "semi_annual": 2}.get(indicator.frequency, 1)
        before, last = series[-1 - min(per_year, len(series) - 1)][1], series[-1][1]
        change = last - before
        threshold = abs(before) / 100 if before else Decimal("0")
        if abs(change) <= threshold:
            trend = "flat"
        else:
            better = change > 0 if indicator.direction == Direction.UP else change < 0
            trend = "improving" if better else "worsening"
    on_track = None
    if series and targets:
        last_period, last = series[-1]
        upcoming = [t for t in targets if t.date >= last_period.end] or [targets[-1]]
        target = upcoming[0]
        up = indicator.direction == Direction.UP
        met = last >= target.value if up else last <= target.value
        if met:
            on_track = True
        elif len(series) >= 2:
            first_period, first = series[0]
            days = (last_period.end - first_period.end).days or 1
            per_day = (last - first) / days
            remaining = (target.date - last_period.end).days
            projected = last + per_day * remaining
            on_track = projected >= target.value if up else projected <= target.value
        else:
            on_track = False
    return IndicatorStatus(trend=trend, on_track=on_track)


@dataclass
class Owed:
    indicator: Indicator
    period: Period
    due: datetime.date
    status: str | None  # of the total cell, None when nothing saved yet
    today: datetime.date  # the organization's day the list was read on

    @property
    def overdue(self) -> bool:
        return self.due < self.today and self.status in (None, "draft", "returned")


def owed_by(
    partners: list[Partner] | None, *, organization_id: int, today: datetime.date
) -> list[Owed]:
    """Open requests (nothing submitted or approved yet) of these partners (None: all),
    for every period that has ended, by due date. A fixed number of queries."""
    requests = DataRequest.objects.filter(organization_id=organization_id).select_related(
        "indicator", "indicator__initiative", "partner"
    )
    requests = requests.filter(indicator__is_active=True, indicator__initiative__archived_at=None)
    if partners is not None:
        requests = requests.filter(partner__in=partners)
    requests = list(requests)
    done = {
        (r[0], r[1], r[2]): r[3]
        for r in DataPoint.objects.filter(
            organization_id=organization_id,
            cell="",
            indicator_id__in={r.indicator_id for r in requests},
        ).values_list("indicator_id", "partner_id", "period", "status")
    }
    exceptions = {
        (r.indicator_id, r.partner_id, r.period): r.excluded for r in requests if r.period
    }
    owed = []
    for request in requests:
        indicator = request.indicator
        if request.period:
            if request.excluded:
                continue
            periods = [parse_period(request.period, indicator.frequency)]
        else:
            start = indicator.initiative.start_date
            periods = [
                p
                for p in periods_between(start, today, indicator.frequency)
                if p.end < today and not exceptions.get((indicator.pk, request.partner_id, p.key))
            ]
        for period in periods:
            status = done.get((indicator.pk, request.partner_id, period.key))
            if status in (Status.SUBMITTED, Status.APPROVED):
                continue
            item = Owed(
                indicator=indicator,
                period=period,
                due=period.end + datetime.timedelta(days=request.due_days),
                status=status,
                today=today,
            )
            item.partner = request.partner
            owed.append(item)
    owed.sort(key=lambda o: (o.due, o.indicator.name))
    return owed


def approval_queue(organization_id: int) -> QuerySet[DataPoint]:
    return (
        DataPoint.objects.filter(organization_id=organization_id, status=Status.SUBMITTED)
        .select_related("indicator", "indicator__initiative", "partner", "updated_by")
        .order_by(
            "indicator__initiative__name", "indicator__name", "period", "partner__name", "cell"
        )
    )


def queue_initiatives(organization_id: int) -> list[tuple[int, str]]:
    """(id, name) of the initiatives with values waiting for approval: one query."""
    return list(
        Initiative.objects.filter(
            organization_id=organization_id,
            indicators__data_points__status=Status.SUBMITTED,
        )
        .order_by("name")
        .distinct()
        .values_list("pk", "name")
    )


def queue_partners(organization_id: int) -> list[tuple[int, str]]:
    """(id, name) of the partners with values waiting for approval: one query."""
    return list(
        Partner.objects.filter(
            organization_id=organization_id, data_points__status=Status.SUBMITTED
        )
        .order_by("name")
        .distinct()
        .values_list("pk", "name")
    )


def conflict_periods(indicator: Indicator) -> list[str]:
    """The periods where two or more partners' approved totals compete: one query, one row
    per period however many partners report."""
    return list(
        DataPoint.objects.filter(indicator=indicator, cell="", status=Status.APPROVED)
        .order_by()
        .values("period")
        .annotate(n=Count("id"))
        .filter(n__gt=1)
        .values_list("period", flat=True)
    )


def conflicts_of(indicator: Indicator, periods=None) -> dict[str, list[DataPoint]]:
    """Periods where two or more partners' approved totals compete, with the values (of
    `periods` only, when given)."""
    grouped: dict[str, list[DataPoint]] = defaultdict(list)
    points = DataPoint.objects.filter(indicator=indicator, cell="", status=Status.APPROVED)
    if periods is not None:
        points = points.filter(period__in=list(periods))
    for point in points.select_related("partner").only(
        "period", "value", "indicator_id", "partner__name"
    ):
        grouped[point.period].append(point)
    return {period: points for period, points in sorted(grouped.items()) if len(points) > 1}


def requested_indicators(initiative: Initiative, partner: Partner, period: str) -> list[Indicator]:
    """The initiative's active indicators of `period`'s frequency that `partner` must report."""
    frequency = frequency_of(period)
    requests = DataRequest.objects.filter(
        indicator__initiative=initiative,
        indicator__is_active=True,
        indicator__frequency=frequency,
        partner=partner,
    ).filter(Q(period="") | Q(period=period))
    rows = list(requests.select_related("indicator"))
    excluded = {r.indicator_id for r in rows if r.period == period and r.excluded}
    chosen = {r.indicator_id: r.indicator for r in rows if r.indicator_id not in excluded}
    return sorted(chosen.values(), key=lambda i: i.name)


def entry_indicators(
    initiative: Initiative, partner: Partner, period: str, *, by_staff: bool
) -> list[Indicator]:
    """The indicators of the entry form: what `partner` must report for `period`, or, for
    the backbone entering values itself, every active indicator of the period's frequency."""
    if not by_staff:
        return requested_indicators(initiative, partner, period)
    return list(
        Indicator.objects.filter(
            initiative=initiative, is_active=True, frequency=frequency_of(period)
        ).order_by("name")
    )


def entry_points(
    indicators: list[Indicator], partner: Partner, period: str
) -> dict[tuple[int, str], DataPoint]:
    """The partner's saved values of the period, by (indicator id, disaggregation cell)."""
    points = DataPoint.objects.filter(indicator__in=indicators, partner=partner, period=period)
    return {(p.indicator_id, p.cell): p for p in points}


DASHBOARD_PAGE_SIZE = 12


def dashboard_context(
    initiative: Initiative, *, today: datetime.date, search: str = "", page_number=None
) -> dict:
    """What the measures dashboard shows besides its cards, in two queries: the page of
    `DASHBOARD_PAGE_SIZE` active indicators whose name holds `search` (any case) that the
    cards draw (`dashboard_cards`), the glossary, and the recent periods that have ended
    (the ones to enter values for)."""
    # Every active indicator, one query of the columns the glossary shows: the periods to
    # enter values for come from all their frequencies, and the page of cards is a slice of
    # them (no COUNT, no second query for the page).
    every = list(
        Indicator.objects.filter(initiative=initiative, is_active=True)
        .select_related("champion")
        .only(
            "name",
            "definition",
            "frequency",
            "champion__first_name",
            "champion__last_name",
        )
        .order_by("name", "id")
    )
    wanted = search.casefold()
    shown = [i for i in every if wanted in i.name.casefold()] if search else every
    entry_periods = sorted(
        {
            p.key
            for frequency in {indicator.frequency for indicator in every}
            for p in periods_between(initiative.start_date, today, frequency)[-5:]
            if p.end < today  # periods that have ended are the ones reported
        },
        reverse=True,
    )
    return {
        "initiative": initiative,
        "page": Paginator(shown, DASHBOARD_PAGE_SIZE).get_page(page_number),
        "indicators": every,
        "terms": list(GlossaryTerm.objects.filter(initiative=initiative).only("term", "meaning")),
        "entry_periods": entry_periods,
    }


def dashboard_cards(indicator_ids: list[int]) -> list[dict]:
    """A card per indicator (approved series, status, latest story, chart), in the order
    given, in four queries whatever the number of cards or values."""
    found = Indicator.objects.in_bulk(indicator_ids)
    indicators = [found[pk] for pk in indicator_ids if pk in found]
    prefetch_related_objects(
        indicators, Prefetch("targets", queryset=Target.objects.order_by("date"))
    )
    series = approved_series_for(indicators)
    stories = latest_curve_stories(indicators)
    cards = []
    for indicator in indicators:
        points = series[indicator.pk]
        targets = list(indicator.targets.all())
        cards.append(
            {
                "indicator": indicator,
                "series": points,
                "latest": points[-1] if points else None,
                "status": indicator_status(indicator, points, targets),
                "story": stories.get(indicator.pk),
                "svg": trend_svg(indicator, points, targets=targets, width=320, height=180),
            }
        )
    return cards


def curve_story(indicator: Indicator, period: str) -> CurveStory | None:
    """The story behind the curve for a period (report cards show it beside the chart)."""
    return CurveStory.objects.filter(indicator=indicator, period=period).first()


def latest_curve_stories(indicators: list[Indicator]) -> dict[int, CurveStory]:
    """Each indicator's most recent story, in one query."""
    latest: dict[int, CurveStory] = {}
    for story in CurveStory.objects.filter(indicator__in=indicators).order_by("period"):
        latest[story.indicator_id] = story
    return latest
