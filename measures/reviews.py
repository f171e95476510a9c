"""The yearly indicator review.

Once a year, per initiative, the staff and each indicator's champion walk the indicators in
turn: still relevant? measuring the right thing? data quality? — and decide keep, revise
(a new definition version: values of earlier periods keep the definition they were
collected under) or retire (the indicator stays for history and gets no new data requests).
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from backbone.models import Membership, User
from backbone.permissions import can
from initiatives.models import Initiative

from .chart_cache import measures_bump
from .definitions import indicator_revise
from .models import (
    Indicator,
    IndicatorReview,
    IndicatorVerdict,
    ReviewDecision,
)
from .selectors import measured_initiatives

# Reviews -----------------------------------------------------------------------------


def _champion_of(membership: Membership) -> Q:
    email = membership.user.email
    if not email:
        return Q(pk__in=[])
    return Q(champion__email__iexact=email)


def reviews_visible_to(membership: Membership) -> QuerySet[IndicatorReview]:
    """Staff and roundtable see every review of the initiatives they read; anyone else only
    the reviews of initiatives where they champion an indicator."""
    queryset = IndicatorReview.objects.filter(
        organization_id=membership.organization_id,
        initiative__in=measured_initiatives(membership),
    )
    if not can(membership, "members.view"):
        championed = Indicator.objects.filter(_champion_of(membership)).values("initiative_id")
        queryset = queryset.filter(initiative_id__in=championed)
    return queryset.select_related("initiative")


def may_answer(membership: Membership, indicator: Indicator) -> bool:
    """The staff answer for every indicator; a member, for the indicators they champion."""
    if can(membership, "measures.define"):
        return True
    email = (membership.user.email or "").lower()
    return bool(email and indicator.champion and indicator.champion.email.lower() == email)


def review_indicators(review: IndicatorReview) -> list[Indicator]:
    """The indicators a review walks, by name: those of its initiative that were active
    when it opened, and those it retired."""
    return list(
        Indicator.objects.filter(initiative_id=review.initiative_id)
        .filter(Q(is_active=True) | Q(verdicts__review=review))
        .select_related("champion", "initiative")
        .distinct()
        .order_by("name", "pk")
    )


@transaction.atomic
def indicator_review_open(*, initiative: Initiative, year: int, by: User) -> IndicatorReview:
    """This year's review of the initiative's indicators (the existing one if opened)."""
    review, _created = IndicatorReview.objects.get_or_create(
        organization_id=initiative.organization_id,
        initiative=initiative,
        year=year,
        defaults={"opened_by": by},
    )
    return review


@transaction.atomic
def indicator_verdict_record(
    *,
    review: IndicatorReview,
    indicator: Indicator,
    by: User,
    still_relevant: str,
    right_thing: str,
    data_quality: str,
    decision: str,
    comment: str = "",
    new_name: str = "",
    new_definition: str = "",
    today: dt.date | None = None,
) -> IndicatorVerdict:
    """Record the review's answers and decision on one indicator, and act on it: revise
    makes a new definition version (from `today`), retire stops new data requests, keep
    or revise after a retire brings the indicator back. Answering again replaces the
    answers (who and when are the last decision's)."""
    today = today or timezone.localdate()
    if indicator.initiative_id != review.initiative_id:
        raise ValidationError(_("This indicator is not part of this review."))
    verdict = IndicatorVerdict.objects.filter(review=review, indicator=indicator).first()
    new_version = verdict.new_definition if verdict else None
    if decision == ReviewDecision.REVISE and not (new_version and decision == verdict.decision):
        new_version = indicator_revise(
            indicator=indicator,
            name=new_name or indicator.name,
            definition=new_definition,
            by=by,
            applies_from=today,
        )
    retire = decision == ReviewDecision.RETIRE
    if indicator.is_active == retire:
        Indicator.objects.filter(pk=indicator.pk).update(is_active=not retire)
        measures_bump(indicator.organization_id)  # the update skips save()
        indicator.is_active = not retire
    values = {
        "still_relevant": still_relevant,
        "right_thing": right_thing,
        "data_quality": data_quality,
        "comment": comment,
        "decision": decision,
        "new_definition": new_version if decision == ReviewDecision.REVISE else None,
        "decided_by": by,
        "decided_by_name": by.get_full_name() or by.email,
        "decided_at": timezone.now(),
    }
    verdict, _created = IndicatorVerdict.objects.update_or_create(
        organization_id=review.organization_id, review=review, indicator=indicator, defaults=values
    )
    return verdict
