"""The agreements registry: who sees which agreement, ending one, and the expiry reminders.

Memoranda of understanding, partner agreements, terms of reference and data-sharing
agreements of an initiative. What a data-sharing agreement allows is read by
`measures.sharing`, the one rule of where partner-level values may be shown.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from backbone.links import org_url
from backbone.models import Membership, Organization, Role, User
from backbone.notifications import Kind, notify, staff_of
from stakeholders.models import Partner
from stakeholders.selectors import partner_of

from .models import Agreement, AgreementStatus
from .selectors import measured_initiatives

EXPIRY_THRESHOLDS = (60, 30, 7)  # days before expiry at which the staff are reminded, once each


def agreements_visible_to(membership: Membership) -> QuerySet[Agreement]:
    """Staff and roundtable see every agreement of the initiatives they read; a partner
    user only those its partner is a party to (read only)."""
    queryset = Agreement.objects.filter(
        organization_id=membership.organization_id,
        initiative__in=measured_initiatives(membership),
    )
    if membership.role == Role.PARTNER:
        partner = partner_of(membership)
        if partner is None:
            return queryset.none()
        queryset = queryset.filter(parties=partner)
    return queryset.select_related("initiative")


def agreements_filtered(
    membership: Membership,
    *,
    kind: str = "",
    status: str = "",
    initiative_id: int | None = None,
    today: dt.date,
) -> QuerySet[Agreement]:
    """The list page's rows: by kind, status as it reads today (a signed agreement past its
    expiry is expired) and initiative, parties prefetched (a fixed number of queries)."""
    queryset = agreements_visible_to(membership)
    if kind:
        queryset = queryset.filter(kind=kind)
    if initiative_id:
        queryset = queryset.filter(initiative_id=initiative_id)
    lapsed = Q(status=AgreementStatus.SIGNED, expires_on__lt=today)
    if status == AgreementStatus.EXPIRED:
        queryset = queryset.filter(lapsed)
    elif status == AgreementStatus.SIGNED:
        queryset = queryset.filter(status=status).exclude(lapsed)
    elif status:
        queryset = queryset.filter(status=status)
    return queryset.prefetch_related(
        Prefetch("parties", queryset=Partner.objects.order_by("name"))
    ).order_by("initiative__name", "title", "pk")


@transaction.atomic
def agreement_end(*, agreement: Agreement, by: User, reason: str, today: dt.date) -> Agreement:
    """End an agreement before (or at) its term: it stops counting for data sharing."""
    agreement = Agreement.objects.select_for_update().get(pk=agreement.pk)
    if agreement.status == AgreementStatus.ENDED:
        raise ValidationError(_("This agreement has already ended."))
    agreement.status = AgreementStatus.ENDED
    agreement.ended_on = today
    agreement.ended_by = by
    agreement.end_reason = reason
    agreement.save(update_fields=["status", "ended_on", "ended_by", "end_reason"])
    return agreement


def threshold_reached(days_left: int) -> int | None:
    """The smallest reminder threshold `days_left` is within, or None beyond them all."""
    reached = [days for days in EXPIRY_THRESHOLDS if 0 <= days_left <= days]
    return min(reached) if reached else None


def agreements_expiring(today: dt.date) -> QuerySet[Agreement]:
    """Signed agreements that expire within the largest threshold, soonest first."""
    return Agreement.objects.filter(
        status=AgreementStatus.SIGNED,
        expires_on__gte=today,
        expires_on__lte=today + dt.timedelta(days=max(EXPIRY_THRESHOLDS)),
    ).order_by("expires_on", "pk")


def agreement_reminders_send(*, organization: Organization, today: dt.date) -> int:
    """Tell the staff of each agreement expiring within 60 days, once per agreement and
    threshold (60, 30 and 7 days; the notification key makes a second run add nothing).
    Returns the agreements reminded about."""
    staff = staff_of(organization)
    count = 0
    with translation.override(organization.language):
        for agreement in agreements_expiring(today).filter(organization=organization):
            days_left = (agreement.expires_on - today).days
            threshold = threshold_reached(days_left)
            if threshold is None:
                continue
            notify(
                organization=organization,
                recipients=staff,
                kind=Kind.AGREEMENT_EXPIRING,
                key=f"agreement_expiring:{agreement.pk}:{agreement.expires_on}:{threshold}",
                title=_("“%(title)s” expires on %(date)s (in %(days)s days)")
                % {
                    "title": agreement.title,
                    "date": date_format(agreement.expires_on, "SHORT_DATE_FORMAT"),
                    "days": days_left,
                },
                url=org_url(organization, "measures:agreement_detail", agreement_id=agreement.pk),
            )
            count += 1
    return count


def agreement_reminders_run(*, organization: Organization, now: dt.datetime | None = None) -> int:
    """The daily job's work, on the organization's own calendar day."""
    today = (now or timezone.now()).astimezone(organization.tzinfo).date()
    return agreement_reminders_send(organization=organization, today=today)
