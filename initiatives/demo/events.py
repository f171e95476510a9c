"""Demo events: community conversations at Riverside's libraries, a kitchen-table event, a
bus tour of the east end, a learning event and a summit to come; one conversation in
Northbay. Who came is recorded (each timeline entry once).

Idempotent: an event is found by initiative and title before it is made.
"""

import datetime

from django.utils import timezone

from backbone.demo import DemoWorld

from .. import services
from ..models import EngagementEvent, EventKind, Initiative
from .people import contacts_of, northbay_initiative, riverside_initiatives


def _at(day: datetime.date, hour: int, minute: int = 0) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))


def _event(initiative: Initiative, title: str, **fields) -> EngagementEvent:
    found = EngagementEvent.objects.filter(initiative=initiative, title=title).first()
    return found or services.event_create(initiative=initiative, title=title, **fields)


def seed_events(world: DemoWorld, today: datetime.date) -> None:
    riverside = world.organizations["riverside"]
    found, contacts = riverside_initiatives(riverside), contacts_of(riverside)
    if found and contacts:
        poverty, early = found
        events = [
            (poverty, EventKind.COMMUNITY_CONVERSATION, "Community conversation at the Central Library",
             "Central Library, meeting room B", 70, 18, contacts[0:14]),
            (poverty, EventKind.COMMUNITY_CONVERSATION, "Community conversation at the East End branch",
             "East End Library branch", 45, 18, contacts[10:22]),
            (poverty, EventKind.KITCHEN_TABLE, "Kitchen-table conversation on Elm Street",
             "A resident's kitchen, Elm Street", 30, 19, contacts[20:26]),
            (poverty, EventKind.TOUR, "Bus tour of the east-end neighbourhood",
             "Leaves from City Hall", 21, 10, contacts[3:11]),
            (poverty, EventKind.LEARNING_EVENT, "Learning event: what is collective impact?",
             "Riverside Community Foundation boardroom", 90, 12, contacts[0:9]),
            (poverty, EventKind.BIG_EVENT, "Community summit on poverty",
             "Riverside Convention Centre", -20, 9, []),
            (early, EventKind.KITCHEN_TABLE, "Parents' kitchen-table evening",
             "Early Years Family Centre", 14, 18, contacts[24:31]),
        ]  # fmt: skip
        for initiative, kind, title, place, days_ago, hour, came in events:
            event = _event(
                initiative,
                title,
                kind=kind,
                starts_at=_at(today - datetime.timedelta(days=days_ago), hour, 30),
                place=place,
                # Open to everyone: listed on the public scorecard and its calendar.
                public=kind in (EventKind.BIG_EVENT, EventKind.LEARNING_EVENT),
            )
            if days_ago > 0:
                for contact in came:
                    services.attendance_record(event=event, contact=contact)

    northbay = world.organizations["northbay"]
    initiative, contacts = northbay_initiative(northbay), contacts_of(northbay)
    if initiative is not None and contacts:
        event = _event(
            initiative,
            "Community conversation at the harbour hall",
            kind=EventKind.COMMUNITY_CONVERSATION,
            starts_at=_at(today - datetime.timedelta(days=12), 18),
            place="Harbour hall",
        )
        for contact in contacts[:4]:
            services.attendance_record(event=event, contact=contact)
