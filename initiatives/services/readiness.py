"""Writes on the readiness matrix: add, edit, tick, reorder and remove checklist items."""

import datetime
from typing import Any

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from backbone.models import User

from ..figures_cache import figures_bump
from ..models import Initiative, ReadinessItem
from .rows import row_update


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
    return row_update(item, fields)


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
    figures_bump(item.organization_id)  # bulk_update sends no save signal
    return next(other for other in cell if other.pk == item.pk)


@transaction.atomic
def readiness_item_remove(*, item: ReadinessItem) -> None:
    item.delete()
