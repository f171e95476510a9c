"""The rules of events, reached without HTTP: attendance in the timeline, walk-ins through
the registry with their consent, and the community will."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone
from django_scopes import scope

from initiatives import services
from initiatives.models import (
    Attendance,
    Deliverable,
)
from initiatives.selectors import (
    community_will,
    is_community_will,
)
from stakeholders.models import ConsentStatus, Contact, Interaction, InteractionKind, Sector

from ..stakeholders.factories import ContactFactory
from .factories import (
    EngagementEventFactory,
)


def test_recording_attendance_writes_the_timeline_once(world, initiative):
    event = EngagementEventFactory(initiative=initiative, title="Conversation at the library")
    contact = ContactFactory(organization=world.org)
    with scope(organization=world.org):
        services.attendance_record(event=event, contact=contact)
        services.attendance_record(event=event, contact=contact)
        entries = list(Interaction.objects.filter(contact=contact))
        assert Attendance.objects.filter(event=event).count() == 1
    assert len(entries) == 1
    assert entries[0].kind == InteractionKind.EVENT
    assert "Conversation at the library" in entries[0].summary
    assert entries[0].occurred_at == event.starts_at


def test_a_walk_in_becomes_a_contact_with_consent_and_the_wording_shown(world, initiative):
    event = EngagementEventFactory(initiative=initiative)
    with scope(organization=world.org):
        attendance = services.walk_in_record(
            event=event,
            first_name="Noor",
            last_name="Haddad",
            email="Noor@Example.org",
            sector=Sector.COMMUNITY,
            lived_experience=True,
            consent=True,
        )
        contact = Contact.objects.get(pk=attendance.contact_id)
        record = contact.consent_records.get()
    assert attendance.walk_in
    assert contact.email == "noor@example.org"
    assert contact.lived_experience
    assert contact.consent == ConsentStatus.GIVEN
    assert record.source == "event"
    assert record.wording == str(services.WALK_IN_CONSENT_WORDING)


def test_a_walk_in_with_a_known_email_is_the_existing_contact(world, initiative):
    existing = ContactFactory(organization=world.org, email="sam@example.org")
    event = EngagementEventFactory(initiative=initiative)
    with scope(organization=world.org):
        attendance = services.walk_in_record(
            event=event, first_name="Sam", email="SAM@example.org", sector=Sector.OTHER
        )
        assert Contact.objects.filter(organization=world.org).count() == 1
    assert attendance.contact_id == existing.pk


def test_a_walk_in_cannot_consent_without_an_email_and_nothing_is_saved(world, initiative):
    event = EngagementEventFactory(initiative=initiative)
    with scope(organization=world.org):
        with pytest.raises(ValidationError):
            services.walk_in_record(
                event=event, first_name="Kim", sector=Sector.OTHER, consent=True
            )
        assert not Contact.objects.filter(organization=world.org).exists()
        assert not Attendance.objects.exists()


def test_community_will_counts_people_sectors_and_events_held(world, initiative):
    past = EngagementEventFactory(initiative=initiative)
    other_past = EngagementEventFactory(initiative=initiative)
    future = EngagementEventFactory(
        initiative=initiative, starts_at=timezone.now() + datetime.timedelta(days=10)
    )
    a = ContactFactory(organization=world.org, sector=Sector.HEALTH)
    b = ContactFactory(organization=world.org, sector=Sector.FAITH)
    c = ContactFactory(organization=world.org, sector=Sector.FAITH)
    with scope(organization=world.org):
        for event, contact in [(past, a), (past, b), (other_past, a), (future, c)]:
            services.attendance_record(event=event, contact=contact)
        will = community_will(initiative)
    assert (will.events_held, will.events_planned) == (2, 1)
    assert will.people_engaged == 2  # a and b; c's event has not happened yet
    assert will.sectors_reached == 2


def test_community_will_still_counts_people_deleted_from_the_registry_once(world, initiative):
    past, other_past = EngagementEventFactory.create_batch(2, initiative=initiative)
    future = EngagementEventFactory(
        initiative=initiative, starts_at=timezone.now() + datetime.timedelta(days=10)
    )
    kept = ContactFactory(organization=world.org, sector=Sector.HEALTH)
    with scope(organization=world.org):
        services.attendance_record(event=past, contact=kept)
        for event, name in [(past, "Pat Gone"), (other_past, "Pat Gone"), (future, "Lee Later")]:
            Attendance.objects.create(organization=world.org, event=event, name=name)
        will = community_will(initiative)
    assert (will.events_held, will.events_planned) == (2, 1)
    assert will.people_engaged == 2  # the contact, and Pat once by the name kept twice
    assert will.sectors_reached == 1  # a deleted person's sector is gone with them


def test_the_first_seeded_deliverable_is_the_community_will(world, initiative):
    will = Deliverable(title="Build community will to address the issue")
    plan = Deliverable(title="Draft a plan: common agenda and shared measurement")
    assert is_community_will(will)
    assert not is_community_will(plan)
