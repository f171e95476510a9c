"""Writes of shared measurement: saving, submitting, approving and returning values."""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from backbone.models import Organization, User
from backbone.stale import STALE
from initiatives.models import Initiative
from stakeholders.models import Partner

from .models import (
    Aggregation,
    CurveStory,
    DataPoint,
    DataPointChange,
    DataRequest,
    GlossaryTerm,
    Indicator,
    Resolution,
    Target,
)
from .notices import tell_returned, tell_submitted
from .periods import parse_period
from .selectors import is_requested, previous_value
from .signals import data_points_decided
from .validation import Verdict, check_value

Status = DataPoint.Status


def _record(point: DataPoint, *, actor, old_value, old_status, comment="") -> DataPointChange:
    return DataPointChange(
        organization_id=point.organization_id,
        data_point=point,
        actor=actor,
        old_value=old_value,
        new_value=point.value,
        old_status=old_status or "",
        new_status=point.status,
        comment=comment,
    )


@transaction.atomic
def data_point_save(
    *,
    indicator: Indicator,
    period: str,
    partner: Partner,
    cell: str = "",
    value,
    user: User,
    submit: bool = False,
    comment: str = "",
    expected_version: int | None = None,  # 0: the form showed no value yet
    confirmed: bool = False,
    by_staff: bool = False,
    imported: bool = False,
) -> DataPoint:
    """Save a partner's value as a draft or submit it; staff entries are approved at once,
    imported rows (the backbone's CSV upload) skip the request check and await approval.

    Raises ValidationError (a message for the person) when the period does not exist,
    the partner was not asked for it, the value is invalid, the value is already
    approved, or the form is stale (someone changed the value since it was loaded).
    """
    try:
        period_key = indicator.period(period).key
    except ValueError:
        raise ValidationError(
            _("“%(period)s” is not a reporting period of this indicator.") % {"period": period}
        ) from None
    if cell not in indicator.cells:
        raise ValidationError(_("This indicator has no such disaggregation."))
    if not (by_staff or imported) and not is_requested(indicator, partner, period_key):
        raise ValidationError(_("Your organization was not asked to report this indicator."))
    point = (
        DataPoint.objects.select_for_update()
        .filter(indicator=indicator, period=period_key, partner=partner, cell=cell)
        .first()
    )
    if point is None and expected_version:  # the form showed a value that is gone now
        raise ValidationError(
            _("Someone changed this value since you opened the form; reload to see it."),
            code=STALE,
        )
    verdict = value_verdict(
        indicator=indicator,
        period_key=period_key,
        point=point,
        value=value,
        previous=previous_value(indicator, period_key, partner, cell),
        comment=comment,
        confirmed=confirmed,
        by_staff=by_staff,
        expected_version=expected_version,
    )
    new_status = Status.APPROVED if by_staff else (Status.SUBMITTED if submit else Status.DRAFT)
    if point is None:
        point = DataPoint(
            organization_id=indicator.organization_id,
            indicator=indicator,
            period=period_key,
            partner=partner,
            cell=cell,
        )
        old_value, old_status = None, ""
    else:
        old_value, old_status = point.value, point.status
        if old_value == verdict.value and old_status == new_status:
            return point
        point.version += 1
    point.value = verdict.value
    point.status = new_status
    point.updated_by = user
    point.entered_by_staff = by_staff or imported
    if comment:
        point.comment = comment
    if new_status != Status.RETURNED:
        point.return_reason = point.return_reason if old_status == Status.RETURNED else ""
    point.save()
    note = comment or (_("Entered by the backbone") if by_staff else "")
    _record(point, actor=user, old_value=old_value, old_status=old_status, comment=note).save()
    if new_status == Status.SUBMITTED:
        tell_submitted(point)
    return point


def value_verdict(
    *,
    indicator: Indicator,
    period_key: str,
    point: DataPoint | None,
    value,
    previous: tuple[Decimal | None, str],
    comment: str = "",
    confirmed: bool = False,
    by_staff: bool = False,
    expected_version: int | None = None,
) -> Verdict:
    """The rules a value passes before it is saved, whoever enters it (the entry form, a
    partner's CSV upload): the saved `point` must not be approved (unless the backbone
    corrects it), the period must have started (the organization's day), the value must
    pass `check_value` against `previous` ((value, period) see `selectors.previous_value`),
    a big jump needs a confirming comment, and the form must not be stale (`expected_version`
    the version it loaded). Raises ValidationError (a message for the
    person; a big jump's has the code "needs_confirmation")."""
    if point is not None and point.status == Status.APPROVED and not by_staff:
        raise ValidationError(
            _("This value was approved already; ask the backbone if it must change.")
        )
    if point is not None and expected_version is not None and point.version != expected_version:
        raise ValidationError(
            _("Someone changed this value since you opened the form; reload to see it."),
            code=STALE,
        )
    # Values of a period that has not started yet are not data (the organization's day).
    if indicator.period(period_key).starts_at(indicator.organization.tzinfo) > timezone.now():
        raise ValidationError(
            _("%(period)s has not started yet; enter its values once it has.")
            % {"period": period_key}
        )
    verdict = check_value(indicator, value, previous=previous[0], previous_period=previous[1])
    if verdict.errors:
        raise ValidationError(verdict.errors)
    if verdict.warnings and not (confirmed and comment.strip()):
        raise ValidationError(
            [ValidationError(w, code="needs_confirmation") for w in verdict.warnings]
        )
    return verdict


def data_point_locked(point: DataPoint | None, *, by_staff: bool) -> bool:
    """Whether the entry form leaves this value alone: an approved value is locked for
    partners; the backbone may still correct it."""
    return point is not None and point.status == Status.APPROVED and not by_staff


@dataclass(frozen=True)
class ValueEntry:
    """One value typed into the entry form (see `measures.forms.DataEntryForm`)."""

    field: str  # the form field that shows its errors
    indicator: Indicator
    cell: str
    raw: str
    version: int | None  # the version the person loaded, to refuse a stale save
    comment: str = ""
    confirmed: bool = False  # the person confirmed a value far from the previous one


@dataclass
class DataEntryResult:
    saved: int = 0
    errors: dict[str, list[str]] = field(default_factory=dict)  # form field → messages
    to_confirm: set[int] = field(default_factory=set)  # indicator ids with a big jump


def data_entry_save(
    *,
    partner: Partner,
    period: str,
    entries: Iterable[ValueEntry],
    user: User,
    submit: bool,
    by_staff: bool,
) -> DataEntryResult:
    """Save each value of the entry form on its own: a bad one keeps its message, the
    others are saved (each in its own transaction, see `data_point_save`)."""
    result = DataEntryResult()
    for entry in entries:
        try:
            data_point_save(
                indicator=entry.indicator,
                period=period,
                partner=partner,
                cell=entry.cell,
                value=entry.raw,
                user=user,
                submit=submit,
                comment=entry.comment,
                expected_version=entry.version,
                confirmed=entry.confirmed,
                by_staff=by_staff,
            )
            result.saved += 1
        except ValidationError as error:
            result.errors[entry.field] = error.messages
            if any(getattr(e, "code", "") == "needs_confirmation" for e in error.error_list):
                result.to_confirm.add(entry.indicator.pk)
    return result


def data_entry_message(*, saved: int, problems: bool, submit: bool, by_staff: bool) -> str:
    """What the person reads after saving the entry form (`problems`: some values, or
    the form itself, have errors to show)."""
    if problems:
        return _("Some values need your attention; the others are saved.")
    if by_staff:
        note = _("%(count)s value(s) entered by the backbone and approved.")
    elif submit:
        note = _("%(count)s value(s) submitted for approval.")
    else:
        note = _("%(count)s value(s) saved as a draft.")
    return note % {"count": saved}


def _decide(points: Iterable[DataPoint], *, user: User, status: str, comment: str) -> int:
    changes, changed = [], []
    for point in points:
        old_status = point.status
        point.status = status
        point.version += 1
        point.updated_by = user
        if status == Status.RETURNED:
            point.return_reason = comment
        changed.append(point)
        changes.append(
            _record(
                point, actor=user, old_value=point.value, old_status=old_status, comment=comment
            )
        )
    now = timezone.now()
    for point in changed:
        point.updated_at = now
    DataPoint.objects.bulk_update(
        changed, ["status", "version", "updated_by", "return_reason", "updated_at"], batch_size=500
    )
    DataPointChange.objects.bulk_create(changes, batch_size=500)
    if changed:
        data_points_decided.send(
            sender=DataPoint, indicator_ids={point.indicator_id for point in changed}
        )
    return len(changed)


@transaction.atomic
def data_points_approve(
    *, organization: Organization, ids: Iterable[int], user: User, comment: str = ""
) -> int:
    """Approve the submitted values among `ids` (others are left alone); returns how many."""
    points = DataPoint.objects.select_for_update().filter(
        organization=organization, pk__in=list(ids), status=Status.SUBMITTED
    )
    return _decide(list(points), user=user, status=Status.APPROVED, comment=comment)


@transaction.atomic
def data_points_return(
    *, organization: Organization, ids: Iterable[int], user: User, reason: str
) -> int:
    if not reason.strip():
        raise ValidationError(_("Say why the value goes back, so the partner can correct it."))
    points = list(
        DataPoint.objects.select_for_update().filter(
            organization=organization, pk__in=list(ids), status=Status.SUBMITTED
        )
    )
    returned = _decide(points, user=user, status=Status.RETURNED, comment=reason.strip())
    tell_returned(points, reason.strip())
    return returned


def _decide_one(data_point: DataPoint, refusal: str, decide, **decision) -> DataPoint:
    """Decide on one submitted value through the batch service `decide`."""
    if data_point.status != Status.SUBMITTED:
        raise ValidationError(refusal)
    decide(organization=data_point.organization, ids=[data_point.pk], **decision)
    data_point.refresh_from_db()
    return data_point


def data_point_approve(*, data_point: DataPoint, user: User, comment: str = "") -> DataPoint:
    return _decide_one(
        data_point,
        _("Only a submitted value can be approved."),
        data_points_approve,
        user=user,
        comment=comment,
    )


def data_point_return(*, data_point: DataPoint, user: User, reason: str) -> DataPoint:
    return _decide_one(
        data_point,
        _("Only a submitted value can be returned."),
        data_points_return,
        user=user,
        reason=reason,
    )


@transaction.atomic
def conflict_resolve(
    *,
    indicator: Indicator,
    period: str,
    method: str,
    user: User,
    chosen: DataPoint | None = None,
) -> Resolution:
    """Settle two or more partners' approved totals for one period; the choice is kept."""
    points = list(
        DataPoint.objects.filter(
            indicator=indicator, period=period, cell="", status=Status.APPROVED
        )
    )
    if len(points) < 2:
        raise ValidationError(_("There is nothing to reconcile for this period."))
    if method == Aggregation.PICK:
        if chosen is None or chosen.pk not in {p.pk for p in points}:
            raise ValidationError(_("Pick one of the approved values."))
        value = chosen.value
    elif method == Aggregation.SUM:
        value, chosen = sum((p.value for p in points), Decimal(0)), None
    elif method == Aggregation.MEAN:
        value, chosen = sum((p.value for p in points), Decimal(0)) / len(points), None
    else:
        raise ValidationError(_("Choose pick, sum or mean."))
    resolution, _created = Resolution.objects.update_or_create(
        organization_id=indicator.organization_id,
        indicator=indicator,
        period=period,
        defaults={"method": method, "chosen": chosen, "value": value, "decided_by": user},
    )
    return resolution


@transaction.atomic
def curve_story_save(*, indicator: Indicator, period: str, text: str, user: User) -> CurveStory:
    try:
        key = indicator.period(period).key
    except ValueError:
        raise ValidationError(_("That is not a reporting period of this indicator.")) from None
    story, _created = CurveStory.objects.update_or_create(
        organization_id=indicator.organization_id,
        indicator=indicator,
        period=key,
        defaults={"text": text.strip(), "author": user},
    )
    return story


@transaction.atomic
def refuse_if_retired(indicator: Indicator) -> None:
    """A retired indicator stays for history and is asked of no one any more."""
    if not indicator.is_active:
        raise ValidationError(_("This indicator is retired: it takes no new data requests."))


def data_requests_assign(
    *, indicator: Indicator, partners: Iterable[Partner], due_days: int = 30
) -> int:
    """Ask each partner for this indicator every period (one action for all of them)."""
    refuse_if_retired(indicator)
    count = 0
    for partner in partners:
        _request, created = DataRequest.objects.update_or_create(
            organization_id=indicator.organization_id,
            indicator=indicator,
            partner=partner,
            period="",
            defaults={"due_days": due_days, "excluded": False},
        )
        count += created
    return count


@transaction.atomic
def data_request_except(
    *, indicator: Indicator, partner: Partner, period: str, excluded: bool = True
) -> DataRequest:
    """A per-partner exception: not this period (or, with excluded=False, this one only)."""
    refuse_if_retired(indicator)
    key = parse_period(period, indicator.frequency).key
    request, _created = DataRequest.objects.update_or_create(
        organization_id=indicator.organization_id,
        indicator=indicator,
        partner=partner,
        period=key,
        defaults={"excluded": excluded},
    )
    return request


@transaction.atomic
def indicator_create(
    *,
    initiative: Initiative,
    indicator: Indicator,
    target_value: Decimal | None = None,
    target_date: datetime.date | None = None,
) -> Indicator:
    """Save a new indicator of `initiative` (built by the form, not saved yet) and its
    first target when one is given."""
    indicator.organization_id = initiative.organization_id
    indicator.initiative = initiative
    indicator.save()
    if target_value is not None:
        Target.objects.create(
            organization_id=initiative.organization_id,
            indicator=indicator,
            value=target_value,
            date=target_date,
        )
    return indicator


@transaction.atomic
def indicator_copy(*, indicator: Indicator, initiative) -> Indicator:
    """Copy an indicator from the library into another initiative (targets too, no data)."""
    if initiative.organization_id != indicator.organization_id:
        raise ValidationError(_("Indicators are copied within one organization."))
    targets = list(indicator.targets.all())
    copy = Indicator.objects.get(pk=indicator.pk)
    copy.pk = None
    copy.initiative = initiative
    copy.save()
    Target.objects.bulk_create(
        Target(organization_id=copy.organization_id, indicator=copy, value=t.value, date=t.date)
        for t in targets
    )
    return copy


@transaction.atomic
def glossary_term_save(*, initiative, term: str, meaning: str) -> GlossaryTerm:
    """Add a term to the initiative's common language, or give an existing one a new meaning."""
    existing = GlossaryTerm.objects.filter(initiative=initiative, term__iexact=term.strip()).first()
    if existing is not None:
        existing.meaning = meaning.strip()
        existing.save(update_fields=["meaning"])
        return existing
    return GlossaryTerm.objects.create(
        organization_id=initiative.organization_id,
        initiative=initiative,
        term=term.strip(),
        meaning=meaning.strip(),
    )
