"""Writes on the rows of an initiative: deliverables, action items, governance teams and
their members, the sponsor, risks and funding commitments."""

from typing import Any

from django.db import transaction
from django.db.models import Max, Model
from django.utils import timezone

from backbone.stale import SEEN_FIELD, note_editor, require_unchanged

from ..models import (
    ActionItem,
    Deliverable,
    FundingCommitment,
    Initiative,
    Risk,
    Team,
    TeamMember,
    WorkStatus,
)


def row_create(model: type[Model], initiative: Initiative, fields: dict[str, Any]) -> Any:
    """A validated new row of `model` in the initiative."""
    row = model(organization_id=initiative.organization_id, initiative=initiative, **fields)
    row.full_clean()
    row.save()
    return row


def row_update(row: Model, fields: dict[str, Any]) -> Any:
    """Save only the given fields of a row (or of the initiative itself, or a readiness item),
    so a stale copy never writes back other columns (the phase). With a form's `seen`
    fingerprint (see `backbone.stale`), a save over fields someone changed meanwhile is
    refused, naming who saved it last; `by` (the user saving, in `fields`) is remembered
    as the row's last editor."""
    seen = fields.pop(SEEN_FIELD, None)
    by = fields.pop("by", None)
    require_unchanged(row, fields, seen)
    for name, value in fields.items():
        setattr(row, name, value)
    row.full_clean()
    row.save(update_fields=list(fields))
    note_editor(row, fields, by)
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
    return row_create(Deliverable, initiative, fields)


@transaction.atomic
def deliverable_update(*, deliverable: Deliverable, **fields: Any) -> Deliverable:
    _stamp_completion(deliverable, fields)
    return row_update(deliverable, fields)


@transaction.atomic
def deliverable_remove(*, deliverable: Deliverable) -> None:
    deliverable.delete()


@transaction.atomic
def action_item_add(*, initiative: Initiative, **fields: Any) -> ActionItem:
    _stamp_completion(None, fields)
    return row_create(ActionItem, initiative, fields)


@transaction.atomic
def action_item_update(*, action_item: ActionItem, **fields: Any) -> ActionItem:
    _stamp_completion(action_item, fields)
    return row_update(action_item, fields)


@transaction.atomic
def action_item_remove(*, action_item: ActionItem) -> None:
    action_item.delete()


@transaction.atomic
def team_add(*, initiative: Initiative, **fields: Any) -> Team:
    return row_create(Team, initiative, fields)


@transaction.atomic
def team_update(*, team: Team, **fields: Any) -> Team:
    return row_update(team, fields)


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
def sponsor_set(
    *, initiative: Initiative, sponsor, sponsor_seats: int, seen: str | None = None, by=None
) -> Initiative:
    fields = {"sponsor": sponsor, "sponsor_seats": sponsor_seats, SEEN_FIELD: seen, "by": by}
    return row_update(initiative, fields)


@transaction.atomic
def risk_add(*, initiative: Initiative, **fields: Any) -> Risk:
    return row_create(Risk, initiative, fields)


@transaction.atomic
def risk_update(*, risk: Risk, **fields: Any) -> Risk:
    return row_update(risk, fields)


@transaction.atomic
def risk_remove(*, risk: Risk) -> None:
    risk.delete()


@transaction.atomic
def funding_commitment_add(*, initiative: Initiative, **fields: Any) -> FundingCommitment:
    return row_create(FundingCommitment, initiative, fields)


@transaction.atomic
def funding_commitment_update(*, commitment: FundingCommitment, **fields: Any) -> FundingCommitment:
    return row_update(commitment, fields)


@transaction.atomic
def funding_commitment_remove(*, commitment: FundingCommitment) -> None:
    commitment.delete()
