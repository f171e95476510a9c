"""What a reviewer should look at twice: flags on submitted values, with the context to judge
them (the partner's last approved value and the change from it). Two queries for any number
of values."""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .models import DataPoint, Indicator, Unit
from .periods import parse_period

Status = DataPoint.Status

FLAG_LABELS = {
    "jump": _("Big jump"),
    "decimal": _("Decimal in a count"),
    "breakdown": _("Breakdown ≠ total"),
    "range": _("Out of range"),
}


@dataclass(frozen=True)
class Flag:
    key: str
    label: str


def _period_order(indicator: Indicator, key: str):
    try:
        return parse_period(key, indicator.frequency)
    except ValueError:
        return None


def is_fractional_count(indicator: Indicator, value: Decimal) -> bool:
    """A count of things (a number shown without decimals) cannot hold a fraction."""
    return (
        indicator.unit == Unit.NUMBER
        and indicator.decimal_places == 0
        and value != value.to_integral_value()
    )


def is_out_of_range(indicator: Indicator, value: Decimal) -> bool:
    if indicator.unit == Unit.PERCENT and not Decimal(0) <= value <= Decimal(100):
        return True
    if indicator.unit != Unit.PERCENT and value < 0:
        return True
    if indicator.minimum is not None and value < indicator.minimum:
        return True
    return indicator.maximum is not None and value > indicator.maximum


def change_percent(value: Decimal, previous: Decimal | None) -> Decimal | None:
    if previous in (None, Decimal(0)):
        return None
    return (value - previous) / abs(previous) * 100


def breakdown_mismatch(indicator: Indicator, values: dict[str, Decimal]) -> bool:
    """Whether some dimension's categories, all given, do not add up to the total."""
    total = values.get("")
    if total is None:
        return False
    for dimension, categories in (indicator.disaggregation or {}).items():
        parts = [values.get(f"{dimension}: {category}") for category in categories]
        if parts and all(p is not None for p in parts) and sum(parts, Decimal(0)) != total:
            return True
    return False


def last_approved(points: list[DataPoint]) -> dict[tuple[int, int, str, str], Decimal]:
    """For each (indicator, partner, cell, period) of these points, the partner's latest
    approved value of an earlier period: one query."""
    if not points:
        return {}
    rows = (
        DataPoint.objects.filter(
            indicator_id__in={p.indicator_id for p in points},
            partner_id__in={p.partner_id for p in points},
            status=Status.APPROVED,
        )
        .values_list("indicator_id", "partner_id", "cell", "period", "value")
        .order_by()
    )
    history: dict[tuple[int, int, str], list[tuple[object, Decimal]]] = defaultdict(list)
    indicators = {p.indicator_id: p.indicator for p in points}
    for indicator_id, partner_id, cell, period, value in rows:
        order = _period_order(indicators[indicator_id], period)
        if order is not None:
            history[(indicator_id, partner_id, cell)].append((order, value))
    found = {}
    for point in points:
        here = _period_order(point.indicator, point.period)
        earlier = [
            (order, value)
            for order, value in history.get((point.indicator_id, point.partner_id, point.cell), [])
            if here is None or order < here
        ]
        if earlier:
            found[(point.indicator_id, point.partner_id, point.cell, point.period)] = max(
                earlier, key=lambda pair: pair[0]
            )[1]
    return found


def flag_points(points: Iterable[DataPoint]) -> list[DataPoint]:
    """Annotate each point with `previous` (last approved value), `change` (in %) and
    `flags` (a list of `Flag`). Needs `indicator` selected with the points."""
    points = list(points)
    previous = last_approved(points)
    siblings: dict[tuple[int, int, str], dict[str, Decimal]] = defaultdict(dict)
    if points:
        wanted = Q()
        for key in {(p.indicator_id, p.partner_id, p.period) for p in points}:
            wanted |= Q(indicator_id=key[0], partner_id=key[1], period=key[2])
        rows = (
            DataPoint.objects.filter(wanted)
            .exclude(status=Status.RETURNED)
            .values_list("indicator_id", "partner_id", "period", "cell", "value")
            .order_by()
        )
        for indicator_id, partner_id, period, cell, value in rows:
            siblings[(indicator_id, partner_id, period)][cell] = value
    for point in points:
        indicator = point.indicator
        point.previous = previous.get(
            (point.indicator_id, point.partner_id, point.cell, point.period)
        )
        point.change = change_percent(point.value, point.previous)
        flags = []
        if point.change is not None and abs(point.change) > indicator.change_warning_percent:
            flags.append("jump")
        if is_fractional_count(indicator, point.value):
            flags.append("decimal")
        if breakdown_mismatch(
            indicator, siblings.get((point.indicator_id, point.partner_id, point.period), {})
        ):
            flags.append("breakdown")
        if is_out_of_range(indicator, point.value):
            flags.append("range")
        point.flags = [Flag(key, str(FLAG_LABELS[key])) for key in flags]
        point.display_value = indicator.format_value(point.value)
        point.display_previous = indicator.format_value(point.previous)
        point.display_change = "–" if point.change is None else f"{point.change:+,.0f} %"
    return points
