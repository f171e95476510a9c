"""The pieces every home section is made of: an `Item` (a line with its link), a `Section`
(a few items, the count of all, a link to see them), and the one query that reads both."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field

from django.db.models import Count, QuerySet, Window
from django.utils import timezone
from django.utils.formats import date_format

from backbone.links import org_url
from measures.models import DataPoint

SHOWN = 5  # items per section; the count and "see all" tell the rest


@dataclass
class Item:
    text: str
    url: str
    meta: str = ""
    flags: list = field(default_factory=list)
    warn: bool = False  # overdue, failed: shown as needing attention


@dataclass
class Section:
    key: str
    title: str
    count: int
    items: list[Item]
    see_all: str = ""
    empty: str = ""
    links: list[tuple[str, str]] = field(default_factory=list)  # (text, url): other ways in


def _day(value: dt.date | dt.datetime) -> str:
    if isinstance(value, dt.datetime):
        return date_format(timezone.localtime(value), "SHORT_DATETIME_FORMAT")
    return date_format(value, "SHORT_DATE_FORMAT")


def _section(
    key: str,
    title,
    queryset: QuerySet,
    to_item: Callable[[object], Item],
    *,
    see_all: str = "",
    empty,
    prepare: Callable[[list], object] | None = None,
) -> Section:
    """One query (the first few, each with the count of all), plus whatever `prepare` adds
    for those few."""
    rows, count = _first_and_count(queryset)
    if prepare is not None:
        prepare(rows)
    return Section(key, str(title), count, [to_item(r) for r in rows], see_all, str(empty))


def _first_and_count(queryset: QuerySet) -> tuple[list, int]:
    """The first few rows and how many there are, in one query: the count is a window over
    the whole set, computed before the limit."""
    rows = list(queryset.annotate(home_total=Window(Count("pk")))[:SHOWN])
    return rows, (rows[0].home_total if rows else 0)


def _listed(key: str, title, rows: list, to_item, *, see_all: str = "", empty, links=()) -> Section:
    return Section(
        key,
        str(title),
        len(rows),
        [to_item(r) for r in rows[:SHOWN]],
        see_all,
        str(empty),
        list(links),
    )


def _entry_url(organization, point_or_owed, partner_query: str = "") -> str:
    indicator = point_or_owed.indicator
    period = getattr(point_or_owed.period, "key", point_or_owed.period)
    url = org_url(organization, "measures:entry", initiative_id=indicator.initiative_id)
    return f"{url}?period={period}{partner_query}"


def _point_text(point: DataPoint, *, partner: bool = True) -> str:
    parts = [point.indicator.name, point.period]
    if point.cell:
        parts.append(point.cell)
    if partner:
        parts.append(point.partner.name)
    return " · ".join(parts)
