"""Writes on engagement events and their attendance (walk-ins join the registry).

An attendance is also written into the person's timeline in the registry, once.
"""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from backbone.links import org_url
from backbone.models import User
from stakeholders.models import ConsentSource, Contact, InteractionKind
from stakeholders.services import (
    consent_record,
    contact_create,
    contact_with_email,
    interaction_record,
)

from ..models import Attendance, EngagementEvent, Initiative
from .rows import row_create, row_update

# Shown next to the checkbox when a walk-in signs up, and stored with their consent.
WALK_IN_CONSENT_WORDING = gettext_lazy(
    "Yes, send me news about this initiative by e-mail. I can unsubscribe at any time."
)


@transaction.atomic
def event_create(
    *,
    initiative: Initiative,
    kind: str,
    title: str,
    starts_at: datetime.datetime,
    place: str = "",
    notes: str = "",
    public: bool = False,
) -> EngagementEvent:
    fields = {
        "kind": kind,
        "title": title,
        "starts_at": starts_at,
        "place": place,
        "notes": notes,
        "public": public,
    }
    return row_create(EngagementEvent, initiative, fields)


@transaction.atomic
def event_update(*, event: EngagementEvent, **fields) -> EngagementEvent:
    return row_update(event, fields)


@transaction.atomic
def event_remove(*, event: EngagementEvent) -> None:
    """Remove an event entered by mistake; one people came to stays, with who came."""
    if event.attendances.exists():
        raise ValidationError(
            _("People came to “%(event)s”: its attendance is part of the record, so it stays.")
            % {"event": event}
        )
    event.delete()


@transaction.atomic
def attendance_record(
    *, event: EngagementEvent, contact: Contact, walk_in: bool = False, by: User | None = None
) -> Attendance:
    """Record that `contact` came to `event`, and write it into their timeline (once)."""
    if contact.organization_id != event.organization_id:
        raise ValidationError({"contact": _("Choose someone of this organization.")})
    attendance, _created = Attendance.objects.get_or_create(
        organization_id=event.organization_id,
        event=event,
        contact=contact,
        defaults={"walk_in": walk_in, "name": contact.full_name},
    )
    interaction_record(
        contact=contact,
        kind=InteractionKind.EVENT,
        summary=_("Attended “%(event)s” (%(kind)s)")
        % {"event": event.title, "kind": event.get_kind_display()},
        occurred_at=event.starts_at,
        url=org_url(event.organization, "initiatives:event", event_id=event.pk),
        created_by=by,
        key=f"event:{event.pk}:attended",
    )
    return attendance


@transaction.atomic
def walk_in_record(
    *,
    event: EngagementEvent,
    first_name: str,
    last_name: str = "",
    email: str = "",
    sector: str,
    lived_experience: bool = False,
    consent: bool = False,
    by: User | None = None,
) -> Attendance:
    """Someone who came without being in the registry: add them, then their attendance.

    A walk-in whose e-mail is already in the registry is that contact (nobody is entered
    twice). Ticking the consent box records consent with the wording shown at the event.
    """
    if consent and not email.strip():
        raise ValidationError({"email": _("Add an e-mail address to send them news.")})
    contact = contact_with_email(event.organization, email)
    if contact is None:
        contact = contact_create(
            organization=event.organization,
            first_name=first_name,
            last_name=last_name,
            email=email,
            sector=sector,
            lived_experience=lived_experience,
        )
    if consent:
        consent_record(
            contact=contact,
            given=True,
            source=ConsentSource.EVENT,
            wording=str(WALK_IN_CONSENT_WORDING),
            recorded_by=by,
        )
    return attendance_record(event=event, contact=contact, walk_in=True, by=by)


@transaction.atomic
def attendance_remove(*, attendance: Attendance) -> None:
    """Undo an attendance recorded by mistake (the timeline entry goes with it)."""
    if attendance.contact_id is not None:
        attendance.contact.interactions.filter(key=f"event:{attendance.event_id}:attended").delete()
    attendance.delete()
