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
from dataclasses import dataclass

from backbone.stamped_cache import OrganizationStamp
from stakeholders.models import Contact

from .models import ActionItem, Attendance, Deliverable, EngagementEvent, Initiative, ReadinessItem
from .selectors import CommunityWill, community_will, initiative_progress, readiness_grid

TIMEOUT = 60
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


FIGURES = OrganizationStamp("initiative-figures", timeout=TIMEOUT)
FIGURES.listen(COUNTED)


def figures_bump(organization_id: int) -> None:
    """Forget the kept figures of the organization's initiatives (now, and again when the
    transaction commits)."""
    FIGURES.bump(organization_id)


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
    return FIGURES.get_or_make(
        initiative.organization_id,
        f"{initiative.pk}:{initiative.phase}:{today}",
        lambda: figures_count(initiative, today=today),
    )
