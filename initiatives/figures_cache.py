"""The figures of an initiative's overview page (readiness of its phase and what is still
open, deliverables done, overdue work, the community will), kept a minute: one cache read
instead of four queries when nothing changed.

The figures are the same for every member who may see the page (counts are not personal)
and hold no translated text, so the key is the initiative, its phase and the organization's
day (work falls due on a new day at once). Every save or delete of a row they count
(`COUNTED`: readiness items, deliverables, action items, events, attendances, and people,
whose sector and deletion change what attendances count) gives the organization a new
stamp, kept beside each entry: an entry kept under an older stamp is counted afresh. The
stamp changes at the save (the writer's next page is fresh even inside a transaction) and
again at the commit (so a page read between the two, before the data was visible, is not
kept either). Reordering a readiness cell (`bulk_update`, no save) bumps it by hand.

What changes with no row saved shows within `TIMEOUT` seconds: an event starting (it
counts as held from then on).
"""

import datetime as dt
import uuid
from dataclasses import dataclass

from django.core.cache import cache
from django.db import connection, transaction
from django.db.models.signals import post_delete, post_save

from stakeholders.models import Contact

from .models import ActionItem, Attendance, Deliverable, EngagementEvent, Initiative, ReadinessItem
from .selectors import CommunityWill, community_will, initiative_progress, readiness_grid

TIMEOUT = 60
STAMP_TIMEOUT = 24 * 3600
# What the figures count. Receivers are connected to these models only: a delete receiver
# on every model would turn off Django's fast cascade deletes.
COUNTED = (ReadinessItem, Deliverable, ActionItem, EngagementEvent, Attendance, Contact)


@dataclass(frozen=True)
class OpenItem:
    text: str


@dataclass(frozen=True)
class Figures:
    current_percent: int | None  # readiness of the current phase
    open_items: list[OpenItem]  # its items not done yet
    progress: dict[str, int]  # initiative_progress
    will: CommunityWill


def _database() -> str:
    """Ids are per database: two databases sharing one Redis (test runs side by side) must
    never read each other's figures."""
    return connection.settings_dict["NAME"]


def _stamp_key(organization_id: int) -> str:
    return f"initiative-figures-stamp:{_database()}:{organization_id}"


def figures_bump(organization_id: int) -> None:
    """Forget the kept figures of the organization's initiatives (now, and again when the
    transaction commits)."""

    def bump():
        cache.set(_stamp_key(organization_id), uuid.uuid4().hex, STAMP_TIMEOUT)

    bump()
    transaction.on_commit(bump)


def figures_count(initiative: Initiative, *, today: dt.date) -> Figures:
    """The figures, counted from the database."""
    grid = readiness_grid(initiative)
    return Figures(
        current_percent=grid.percent_of(initiative.phase),
        open_items=[OpenItem(item.text) for item in grid.open_items_of(initiative.phase)],
        progress=initiative_progress(initiative, today=today),
        will=community_will(initiative),
    )


def cached_figures(initiative: Initiative, *, today: dt.date) -> Figures:
    """The figures: from the cache while the organization's stamp is unchanged (one cache
    round trip), else counted and kept."""
    key = f"initiative-figures:{_database()}:{initiative.pk}:{initiative.phase}:{today}"
    stamp_key = _stamp_key(initiative.organization_id)
    found = cache.get_many([stamp_key, key])
    stamp = found.get(stamp_key)
    kept = found.get(key)
    if stamp is not None and kept is not None and kept[0] == stamp:
        return kept[1]
    if stamp is None:
        stamp = uuid.uuid4().hex
        cache.add(stamp_key, stamp, STAMP_TIMEOUT)
        stamp = cache.get(stamp_key, stamp)  # another process may have added its own
    figures = figures_count(initiative, today=today)
    cache.set(key, (stamp, figures), TIMEOUT)
    return figures


def _row_changed(sender, instance, **kwargs) -> None:
    if kwargs.get("raw"):
        return  # fixtures being loaded
    if instance.organization_id is not None:
        figures_bump(instance.organization_id)


for _model in COUNTED:
    post_save.connect(_row_changed, sender=_model, dispatch_uid=f"figures-save-{_model.__name__}")
    post_delete.connect(_row_changed, sender=_model, dispatch_uid=f"figures-del-{_model.__name__}")
