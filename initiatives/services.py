"""Writes: every change to an initiative and what happens in it goes through here."""

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max, Model
from django.utils import timezone
from django.utils.translation import gettext as _

from backbone.models import Organization, User

from .models import (
    PHASE_ORDER,
    ActionItem,
    Deliverable,
    FundingCommitment,
    Initiative,
    InitiativePartner,
    Phase,
    PhaseTransition,
    ReadinessItem,
    Risk,
    Team,
    TeamMember,
    WorkStatus,
    phase_number,
)
from .seeds import DELIVERABLES, READINESS_ITEMS


@transaction.atomic
def initiative_create(
    *,
    organization: Organization,
    name: str,
    issue: str,
    start_date: datetime.date,
    geography: str = "",
    description: str = "",
    phase: str = Phase.PRE_LAUNCH,
) -> Initiative:
    """A new initiative with the seed table's readiness matrix and the five deliverables."""
    initiative = Initiative.objects.create(
        organization=organization,
        name=name,
        issue=issue,
        start_date=start_date,
        geography=geography,
        description=description,
        phase=phase,
    )
    ReadinessItem.objects.bulk_create(
        ReadinessItem(
            organization=organization,
            initiative=initiative,
            phase=cell_phase,
            component=component,
            text=str(text),
            position=position,
        )
        for (cell_phase, component), texts in READINESS_ITEMS.items()
        for position, text in enumerate(texts)
    )
    Deliverable.objects.bulk_create(
        Deliverable(
            organization=organization,
            initiative=initiative,
            title=str(title),
            position=position,
            due_date=_one_year_after(start_date),
        )
        for position, title in enumerate(DELIVERABLES)
    )
    return initiative


def _one_year_after(day: datetime.date) -> datetime.date:
    try:
        return day.replace(year=day.year + 1)
    except ValueError:  # 29 February
        return day.replace(year=day.year + 1, day=28)


@transaction.atomic
def initiative_update(*, initiative: Initiative, **fields: Any) -> Initiative:
    return _update(initiative, fields)


@transaction.atomic
def initiative_archive(*, initiative: Initiative) -> Initiative:
    """Archived initiatives leave the lists and keep all their data."""
    if initiative.archived_at is None:
        initiative.archived_at = timezone.now()
        initiative.save(update_fields=["archived_at"])
    return initiative


@transaction.atomic
def initiative_restore(*, initiative: Initiative) -> Initiative:
    if initiative.archived_at is not None:
        initiative.archived_at = None
        initiative.save(update_fields=["archived_at"])
    return initiative


class OpenItemsNotConfirmed(ValidationError):
    """Advancing with unticked items in the current phase needs an explicit confirmation."""

    def __init__(self, open_items: list[ReadinessItem]):
        self.open_items = open_items
        super().__init__(
            {
                "confirm": _(
                    "%(count)d readiness items of this phase are still open. "
                    "Tick “Advance anyway” to move on; they will be recorded as open."
                )
                % {"count": len(open_items)}
            }
        )


@transaction.atomic
def initiative_change_phase(
    *,
    initiative: Initiative,
    to_phase: str,
    by: User | None,
    note: str = "",
    confirm_open_items: bool = False,
) -> PhaseTransition:
    """Move the initiative to another phase and record the transition.

    The rules: forward one phase at a time (phases build on each other, so skipping
    is refused); back by any number of phases, with a reason in the note; advancing
    while readiness items of the current phase are open needs `confirm_open_items`
    and records those items on the transition.
    """
    given = initiative
    initiative = Initiative.objects.select_for_update().get(pk=initiative.pk)
    if initiative.archived_at is not None:
        raise ValidationError({"to_phase": _("Restore the initiative before changing its phase.")})
    if to_phase not in PHASE_ORDER:
        raise ValidationError({"to_phase": _("Choose one of the four phases.")})
    current, target = phase_number(initiative.phase), phase_number(to_phase)
    note = note.strip()
    if target == current:
        raise ValidationError({"to_phase": _("The initiative is already in this phase.")})
    if target > current + 1:
        raise ValidationError(
            {
                "to_phase": _(
                    "Phases can't be skipped: move to “%(next)s” first, then on from there."
                )
                % {"next": Phase(PHASE_ORDER[current]).label}
            }
        )
    if target < current and not note:
        raise ValidationError({"note": _("Say why the initiative moves back a phase.")})
    open_items: list[ReadinessItem] = []
    if target > current:
        open_items = list(
            ReadinessItem.objects.filter(
                initiative=initiative, phase=initiative.phase, done_on__isnull=True
            )
        )
        if open_items and not confirm_open_items:
            raise OpenItemsNotConfirmed(open_items)
    transition = PhaseTransition.objects.create(
        organization_id=initiative.organization_id,
        initiative=initiative,
        from_phase=initiative.phase,
        to_phase=to_phase,
        by=by,
        note=note,
        open_items=[
            {"id": item.pk, "component": item.component, "text": item.text} for item in open_items
        ],
    )
    initiative.phase = to_phase
    initiative.save(update_fields=["phase"])
    given.phase = to_phase
    return transition


# Readiness matrix


@transaction.atomic
def readiness_item_add(
    *, initiative: Initiative, phase: str, component: str, text: str
) -> ReadinessItem:
    last = ReadinessItem.objects.filter(
        initiative=initiative, phase=phase, component=component
    ).aggregate(last=Max("position"))["last"]
    return ReadinessItem.objects.create(
        organization_id=initiative.organization_id,
        initiative=initiative,
        phase=phase,
        component=component,
        text=text,
        position=0 if last is None else last + 1,
    )


@transaction.atomic
def readiness_item_update(*, item: ReadinessItem, **fields: Any) -> ReadinessItem:
    return _update(item, fields)


@transaction.atomic
def readiness_item_tick(
    *,
    item: ReadinessItem,
    by: User | None,
    done_on: datetime.date | None = None,
    evidence: str = "",
) -> ReadinessItem:
    item.done_on = done_on or timezone.localdate()
    item.done_by = by
    item.evidence = evidence
    item.save(update_fields=["done_on", "done_by", "evidence"])
    return item


@transaction.atomic
def readiness_item_untick(*, item: ReadinessItem) -> ReadinessItem:
    item.done_on = None
    item.done_by = None
    item.save(update_fields=["done_on", "done_by"])
    return item


@transaction.atomic
def readiness_item_move(*, item: ReadinessItem, up: bool) -> ReadinessItem:
    """Swap the item with its neighbour in the same cell."""
    cell = list(
        ReadinessItem.objects.filter(
            initiative_id=item.initiative_id, phase=item.phase, component=item.component
        ).order_by("position", "id")
    )
    index = next(i for i, other in enumerate(cell) if other.pk == item.pk)
    neighbour = index - 1 if up else index + 1
    if 0 <= neighbour < len(cell):
        cell[index], cell[neighbour] = cell[neighbour], cell[index]
    for position, other in enumerate(cell):
        other.position = position
    ReadinessItem.objects.bulk_update(cell, ["position"])
    return next(other for other in cell if other.pk == item.pk)


@transaction.atomic
def readiness_item_remove(*, item: ReadinessItem) -> None:
    item.delete()


# Deliverables, action items, teams, risks, funding: rows of an initiative.


def _create(model: type[Model], initiative: Initiative, fields: dict[str, Any]) -> Any:
    row = model(organization_id=initiative.organization_id, initiative=initiative, **fields)
    row.full_clean()
    row.save()
    return row


def _update(row: Model, fields: dict[str, Any]) -> Any:
    """Save only the given fields, so a stale copy never writes back other columns (the phase)."""
    for name, value in fields.items():
        setattr(row, name, value)
    row.full_clean()
    row.save(update_fields=list(fields))
    return row


def _stamp_completion(row: Deliverable | ActionItem | None, fields: dict[str, Any]) -> None:
    """Record when work became done (the newsletter tells what was done this week)."""
    if "status" not in fields:
        return
    was_done = row is not None and row.status == WorkStatus.DONE
    if fields["status"] == WorkStatus.DONE and not was_done:
        fields["completed_at"] = timezone.now()
    elif fields["status"] != WorkStatus.DONE:
        fields["completed_at"] = None


@transaction.atomic
def deliverable_add(*, initiative: Initiative, **fields: Any) -> Deliverable:
    last = Deliverable.objects.filter(initiative=initiative).aggregate(last=Max("position"))
    fields.setdefault("position", (last["last"] or 0) + 1)
    _stamp_completion(None, fields)
    return _create(Deliverable, initiative, fields)


@transaction.atomic
def deliverable_update(*, deliverable: Deliverable, **fields: Any) -> Deliverable:
    _stamp_completion(deliverable, fields)
    return _update(deliverable, fields)


@transaction.atomic
def deliverable_remove(*, deliverable: Deliverable) -> None:
    deliverable.delete()


@transaction.atomic
def action_item_add(*, initiative: Initiative, **fields: Any) -> ActionItem:
    _stamp_completion(None, fields)
    return _create(ActionItem, initiative, fields)


@transaction.atomic
def action_item_update(*, action_item: ActionItem, **fields: Any) -> ActionItem:
    _stamp_completion(action_item, fields)
    return _update(action_item, fields)


@transaction.atomic
def action_item_remove(*, action_item: ActionItem) -> None:
    action_item.delete()


@transaction.atomic
def team_add(*, initiative: Initiative, **fields: Any) -> Team:
    return _create(Team, initiative, fields)


@transaction.atomic
def team_update(*, team: Team, **fields: Any) -> Team:
    return _update(team, fields)


@transaction.atomic
def team_remove(*, team: Team) -> None:
    team.delete()


@transaction.atomic
def team_member_add(*, team: Team, contact, seat: str = "") -> TeamMember:
    member, created = TeamMember.objects.get_or_create(
        organization_id=team.organization_id,
        team=team,
        contact=contact,
        defaults={"seat": seat},
    )
    if not created and seat and member.seat != seat:
        member.seat = seat
        member.save(update_fields=["seat"])
    return member


@transaction.atomic
def team_member_remove(*, member: TeamMember) -> None:
    member.delete()


@transaction.atomic
def initiative_partner_add(
    *, initiative: Initiative, partner, role: str, joined_on: datetime.date | None = None
) -> InitiativePartner:
    link, _created = InitiativePartner.objects.get_or_create(
        organization_id=initiative.organization_id,
        initiative=initiative,
        partner=partner,
        role=role,
        defaults={"joined_on": joined_on},
    )
    return link


@transaction.atomic
def initiative_partner_remove(*, link: InitiativePartner) -> None:
    link.delete()


@transaction.atomic
def sponsor_set(*, initiative: Initiative, sponsor, sponsor_seats: int) -> Initiative:
    return _update(initiative, {"sponsor": sponsor, "sponsor_seats": sponsor_seats})


@transaction.atomic
def risk_add(*, initiative: Initiative, **fields: Any) -> Risk:
    return _create(Risk, initiative, fields)


@transaction.atomic
def risk_update(*, risk: Risk, **fields: Any) -> Risk:
    return _update(risk, fields)


@transaction.atomic
def risk_remove(*, risk: Risk) -> None:
    risk.delete()


@transaction.atomic
def funding_commitment_add(*, initiative: Initiative, **fields: Any) -> FundingCommitment:
    return _create(FundingCommitment, initiative, fields)


@transaction.atomic
def funding_commitment_update(*, commitment: FundingCommitment, **fields: Any) -> FundingCommitment:
    return _update(commitment, fields)


@transaction.atomic
def funding_commitment_remove(*, commitment: FundingCommitment) -> None:
    commitment.delete()
