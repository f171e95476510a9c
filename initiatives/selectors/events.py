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


def people_who_came(attendances: QuerySet[Attendance]) -> int:
    """How many people these attendances are: those deleted from the registry since still
    count, by the name their attendance kept."""
    return sum(
        attendances.aggregate(
            known=Count("contact_id", distinct=True),
            deleted=Count("name", distinct=True, filter=Q(contact__isnull=True)),
        ).values()
    )


@dataclass(frozen=True)
class CommunityWill:
    """Evidence for the "build community will" deliverable, counted from events held."""

    events_held: int
    people_engaged: int
    sectors_reached: int
    events_planned: int


def community_will(initiative: Initiative) -> CommunityWill:
    now = timezone.now()
    events = EngagementEvent.objects.filter(initiative=initiative)
    counts = events.aggregate(
        held=Count("id", filter=Q(starts_at__lte=now)),
        planned=Count("id", filter=Q(starts_at__gt=now)),
    )
    attended = Attendance.objects.filter(event__initiative=initiative, event__starts_at__lte=now)
    people = attended.aggregate(
        sectors=Count("contact__sector", distinct=True),
    )
    people["people"] = people_who_came(attended)
    return CommunityWill(
        events_held=counts["held"],
        events_planned=counts["planned"],
        people_engaged=people["people"],
        sectors_reached=people["sectors"],
    )


def is_community_will(deliverable: Deliverable) -> bool:
    """The first of the twelve-month deliverables, whatever language it was created in."""
    title = deliverable.title.casefold()
    return "community will" in title or title == str(DELIVERABLES[0]).casefold()
