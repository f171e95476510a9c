"""Reporting periods, derived from an indicator's frequency and never typed by hand.

A period has a key ("2027-Q1", "2027-03", "2027-H1", "2027") that is stored on data
points and requests; its boundaries are calendar dates, read in the organization's
time zone when compared with a moment.
"""

import datetime
import re
import zoneinfo
from dataclasses import dataclass

from django.db import models
from django.utils.translation import gettext_lazy as _


class Frequency(models.TextChoices):
    MONTHLY = "monthly", _("Monthly")
    QUARTERLY = "quarterly", _("Quarterly")
    SEMI_ANNUAL = "semi_annual", _("Semi-annual")
    ANNUAL = "annual", _("Annual")


# Months per period, and the pattern of each frequency's keys.
MONTHS = {
    Frequency.MONTHLY: 1,
    Frequency.QUARTERLY: 3,
    Frequency.SEMI_ANNUAL: 6,
    Frequency.ANNUAL: 12,
}
PATTERNS = {
    Frequency.MONTHLY: re.compile(r"^(\d{4})-(\d{2})$"),
    Frequency.QUARTERLY: re.compile(r"^(\d{4})-Q([1-4])$"),
    Frequency.SEMI_ANNUAL: re.compile(r"^(\d{4})-H([12])$"),
    Frequency.ANNUAL: re.compile(r"^(\d{4})$"),
}


@dataclass(frozen=True, order=True)
class Period:
    year: int
    index: int  # 1-based: month, quarter or half; 1 for a year
    frequency: str

    @property
    def key(self) -> str:
        if self.frequency == Frequency.MONTHLY:
            return f"{self.year}-{self.index:02d}"
        if self.frequency == Frequency.QUARTERLY:
            return f"{self.year}-Q{self.index}"
        if self.frequency == Frequency.SEMI_ANNUAL:
            return f"{self.year}-H{self.index}"
        return f"{self.year}"

    def __str__(self) -> str:
        return self.key

    @property
    def start(self) -> datetime.date:
        month = (self.index - 1) * MONTHS[self.frequency] + 1
        return datetime.date(self.year, month, 1)

    @property
    def end(self) -> datetime.date:
        """The last day of the period."""
        return self.next().start - datetime.timedelta(days=1)

    def next(self) -> "Period":
        per_year = 12 // MONTHS[self.frequency]
        if self.index == per_year:
            return Period(self.year + 1, 1, self.frequency)
        return Period(self.year, self.index + 1, self.frequency)

    def previous(self) -> "Period":
        per_year = 12 // MONTHS[self.frequency]
        if self.index == 1:
            return Period(self.year - 1, per_year, self.frequency)
        return Period(self.year, self.index - 1, self.frequency)

    def starts_at(self, tz: zoneinfo.ZoneInfo) -> datetime.datetime:
        return datetime.datetime.combine(self.start, datetime.time.min, tzinfo=tz)

    def ends_at(self, tz: zoneinfo.ZoneInfo) -> datetime.datetime:
        """The first moment after the period, in the organization's time zone."""
        return self.next().starts_at(tz)


def parse_period(key: str, frequency: str) -> Period:
    """The period of `frequency` that `key` names; ValueError if there is none."""
    match = PATTERNS[frequency].match((key or "").strip())
    if not match:
        raise ValueError(key)
    year = int(match.group(1))
    index = int(match.group(2)) if frequency != Frequency.ANNUAL else 1
    if frequency == Frequency.MONTHLY and not 1 <= index <= 12:
        raise ValueError(key)
    if not 1900 <= year <= 2200:
        raise ValueError(key)
    return Period(year, index, frequency)


def frequency_of(key: str) -> str | None:
    """The frequency whose keys look like `key`, or None."""
    for frequency, pattern in PATTERNS.items():
        if pattern.match(key or ""):
            return str(frequency)
    return None


def period_containing(day: datetime.date, frequency: str) -> Period:
    if frequency == Frequency.ANNUAL:
        return Period(day.year, 1, frequency)
    return Period(day.year, (day.month - 1) // MONTHS[frequency] + 1, frequency)


def period_at(moment: datetime.datetime, frequency: str, tz: zoneinfo.ZoneInfo) -> Period:
    """The period a moment falls in, as the organization's clock reads it."""
    return period_containing(moment.astimezone(tz).date(), frequency)


def periods_between(start: datetime.date, end: datetime.date, frequency: str) -> list[Period]:
    """Every period from the one holding `start` to the one holding `end`, in order."""
    current = period_containing(start, frequency)
    last = period_containing(end, frequency)
    found = []
    while current <= last:
        found.append(current)
        current = current.next()
    return found
