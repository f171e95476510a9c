"""The one rule of data sharing: where partner-level values may be shown beyond the staff.

Every page, PDF and mail that shows one partner's values to someone other than the
backbone staff asks here first: the report card, the plan, the newsletter and any public
page. A partner's values of an indicator may be

- used inside the organization (`public=False`: the roundtable, other partners) when a
  signed, unexpired data-sharing agreement with that partner covers the indicator,
  whatever it allows;
- published (`public=True`: anything that leaves the organization) only when such an
  agreement allows publishing per partner.

Everywhere else only the aggregate is shown, with `HIDDEN_REASON` said beside it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from stakeholders.models import Partner

from .models import (
    Agreement,
    AgreementKind,
    AgreementStatus,
    DataPoint,
    DataRequest,
    Indicator,
    SharingPermission,
)

HIDDEN_REASON = _(
    "Values per partner are hidden: no data-sharing agreement allows publishing them."
)
HIDDEN_REASON_INTERNAL = _(
    "Values per partner are hidden: no data-sharing agreement allows sharing them."
)

Pair = tuple[int, int]  # (indicator id, partner id)


def _today(today: dt.date | None) -> dt.date:
    """The day the rule is read for: the organization's (its zone is active in a request)."""
    return today or timezone.localdate()


def agreements_in_force(today: dt.date) -> QuerySet[Agreement]:
    """Data-sharing agreements signed and not expired on `today` (ended ones are out)."""
    return Agreement.objects.filter(
        kind=AgreementKind.DATA_SHARING, status=AgreementStatus.SIGNED, signed_on__lte=today
    ).filter(Q(expires_on__isnull=True) | Q(expires_on__gte=today))


def partner_values_allowed_pairs(
    pairs: Iterable[Pair], *, public: bool, today: dt.date | None = None
) -> set[Pair]:
    """Of the (indicator id, partner id) `pairs`, those whose partner-level values may be
    shown (see the module). One query whatever the number of pairs."""
    pairs = set(pairs)
    if not pairs:
        return set()
    agreements = agreements_in_force(_today(today)).filter(
        indicators__in={i for i, _p in pairs}, parties__in={p for _i, p in pairs}
    )
    if public:
        agreements = agreements.filter(permission=SharingPermission.PER_PARTNER)
    covered = set(agreements.values_list("indicators", "parties"))
    return pairs & covered


def partner_values_allowed(
    indicator: Indicator, partner: Partner, *, public: bool, today: dt.date | None = None
) -> bool:
    """Whether `partner`'s values of `indicator` may be shown (see the module)."""
    pair = (indicator.pk, partner.pk)
    return pair in partner_values_allowed_pairs([pair], public=public, today=today)


@dataclass(frozen=True)
class Uncovered:
    """A partner asked for an indicator's values without a data-sharing agreement in force."""

    indicator_id: int
    indicator_name: str
    partner_id: int
    partner_name: str


def uncovered_requests(
    indicators: QuerySet[Indicator] | list[Indicator], *, today: dt.date | None = None
) -> list[Uncovered]:
    """Partners asked to report an active indicator with no signed, unexpired data-sharing
    agreement covering it, by indicator then partner name. Two queries."""
    rows = (
        DataRequest.objects.filter(
            indicator__in=indicators, excluded=False, indicator__is_active=True
        )
        .values_list("indicator_id", "indicator__name", "partner_id", "partner__name")
        .distinct()
        .order_by("indicator__name", "partner__name")
    )
    rows = list(rows)
    covered = partner_values_allowed_pairs(
        [(row[0], row[2]) for row in rows], public=False, today=today
    )
    return [Uncovered(*row) for row in rows if (row[0], row[2]) not in covered]


@dataclass
class PartnerValues:
    """One indicator's approved partner totals of one period, as far as they may be shown:
    `shown` (partner, value) by partner name, and how many partners' values are `hidden`."""

    period: str
    shown: list[tuple[Partner, Decimal]] = field(default_factory=list)
    hidden: int = 0

    @property
    def hidden_reason(self) -> str:
        return str(HIDDEN_REASON) if self.hidden else ""


def partner_values(
    periods: dict[int, str], *, public: bool, today: dt.date | None = None
) -> dict[int, PartnerValues]:
    """For each indicator id → period key in `periods`, the partners' approved totals of
    that period, split by the rule into those shown and a count of those hidden. Two
    queries whatever the number of indicators."""
    if not periods:
        return {}
    points = (
        DataPoint.objects.filter(
            indicator_id__in=list(periods),
            period__in=set(periods.values()),
            cell="",
            status=DataPoint.Status.APPROVED,
        )
        .select_related("partner")
        .order_by("partner__name", "pk")
    )
    points = [p for p in points if periods.get(p.indicator_id) == p.period]
    allowed = partner_values_allowed_pairs(
        [(p.indicator_id, p.partner_id) for p in points], public=public, today=today
    )
    result = {pk: PartnerValues(period=key) for pk, key in periods.items()}
    for point in points:
        values = result[point.indicator_id]
        if (point.indicator_id, point.partner_id) in allowed:
            values.shown.append((point.partner, point.value))
        else:
            values.hidden += 1
    return result
