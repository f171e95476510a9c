"""Reads of engagement events: an initiative's events, who came, and the community will
they built (the evidence of the first deliverable)."""

from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from ..defaults import DELIVERABLES
from ..models import Attendance, Deliverable, EngagementEvent, Initiative
from .people import PeopleView, visible_people


def events_of(initiative: Initiative) -> QuerySet[EngagementEvent]:
    return EngagementEvent.objects.filter(
        organization_id=initiative.organization_id, initiative=initiative
    ).annotate(attendance_count=Count("attendances"))


def attendances_of(event: EngagementEvent, view: PeopleView) -> QuerySet[Attendance]:
    return visible_people(
        Attendance.objects.filter(organization_id=event.organization_id, event=event), view
    ).select_related("contact__partner")


def _people_counts(path: str = "", held: Q | None = None) -> dict:
    """The aggregates of `people_who_came`, over the attendances at `path` ("" or
    "attendances__"), only those matching `held`: the known people and the names kept by
    attendances of people deleted from the registry since."""
    held = held or Q()
    return {
        "known": Count(f"{path}contact_id", distinct=True, filter=held),
        "deleted": Count(
            f"{path}name", distinct=True, filter=held & Q(**{f"{path}contact__isnull": True})
        ),
    }


def people_who_came(attendances: QuerySet[Attendance]) -> int:
    """How many people these attendances are: those deleted from the registry since still
    count, by the name their attendance kept."""
    return sum(attendances.aggregate(**_people_counts()).values())


@dataclass(frozen=True)
class CommunityWill:
    """Evidence for the "build community will" deliverable, counted from events held."""

    events_held: int
    people_engaged: int
    sectors_reached: int
    events_planned: int


def community_will(initiative: Initiative) -> CommunityWill:
    """One query over the initiative's events and their attendances (every count distinct,
    so the join of events to attendances multiplies nothing)."""
    held = Q(starts_at__lte=timezone.now())
    counts = EngagementEvent.objects.filter(initiative=initiative).aggregate(
        held=Count("id", distinct=True, filter=held),
        planned=Count("id", distinct=True, filter=~held),
        sectors=Count("attendances__contact__sector", distinct=True, filter=held),
        **_people_counts("attendances__", held),
    )
    return CommunityWill(
        events_held=counts["held"],
        events_planned=counts["planned"],
        people_engaged=counts["known"] + counts["deleted"],
        sectors_reached=counts["sectors"],
    )


def is_community_will(deliverable: Deliverable) -> bool:
    """The first of the twelve-month deliverables, whatever language it was created in."""
    title = deliverable.title.casefold()
    return "community will" in title or title == str(DELIVERABLES[0]).casefold()
