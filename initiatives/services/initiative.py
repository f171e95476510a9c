"""Writes on an initiative itself: create, update, archive and restore, change phase."""

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from backbone.models import Organization, User

from ..defaults import DELIVERABLES, READINESS_ITEMS
from ..models import (
    PHASE_ORDER,
    Deliverable,
    Initiative,
    Phase,
    PhaseTransition,
    ReadinessItem,
    phase_number,
)
from .reflections import reflections_snapshot
from .rows import row_update


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
    return row_update(initiative, fields)


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
    reflections_snapshot(initiative=initiative, transition=transition)
    initiative.phase = to_phase
    initiative.save(update_fields=["phase"])
    given.phase = to_phase
    return transition


def check_same_organization(initiative: Initiative, *objects, field: str) -> None:
    """Refuse people or partners of another organization than the initiative's."""
    for obj in objects:
        if obj is not None and obj.organization_id != initiative.organization_id:
            raise ValidationError({field: _("Choose someone of this organization.")})
