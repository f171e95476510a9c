"""The event pages: recording an event, who came and walk-ins, the community will they
feed; who sees whose names, and how many queries the list takes."""

import datetime

from django_scopes import scopes_disabled

from initiatives.models import Attendance
from stakeholders.models import Contact, Interaction, Sector

from ..stakeholders.factories import ContactFactory, PartnerFactory
from .factories import AttendanceFactory, EngagementEventFactory, InitiativePartnerFactory
from .helpers import assert_refused, assert_same_queries_for_few_and_many, link_partner_user, url


def test_coordinator_records_an_event_in_the_organizations_time_zone(world, login, initiative):
    world.org.time_zone = "America/Winnipeg"
    world.org.save()
    response = login(world.coordinator).post(
        url("events", world.org, initiative_id=initiative.pk),
        {
            "kind": "community_conversation",
            "title": "Conversation at the library",
            "starts_at": "2027-02-10T18:30",
            "place": "Central library",
        },
    )
    assert response.status_code == 302
    with scopes_disabled():
        event = initiative.events.get()
    assert event.starts_at == datetime.datetime(2027, 2, 11, 0, 30, tzinfo=datetime.UTC)


def test_an_event_without_title_or_date_shows_errors(world, login, initiative):
    response = login(world.coordinator).post(
        url("events", world.org, initiative_id=initiative.pk), {"kind": "tour"}
    )
    assert_refused(response, "This field is required.")


def test_attendance_and_walk_ins_feed_the_community_will_deliverable(world, login, initiative):
    event = EngagementEventFactory(initiative=initiative)
    known = ContactFactory(organization=world.org, sector=Sector.HEALTH)
    client = login(world.coordinator)
    client.post(url("attendee_add", world.org, event_id=event.pk), {"contact": known.pk})
    client.post(
        url("walk_in_add", world.org, event_id=event.pk),
        {"first_name": "Noor", "sector": "community", "email": "", "consent": ""},
    )
    with scopes_disabled():
        assert Attendance.objects.filter(event=event).count() == 2
        assert Interaction.objects.filter(contact=known, kind="event").count() == 1
        assert Contact.objects.filter(first_name="Noor", organization=world.org).exists()
    deliverables = client.get(url("deliverables", world.org, initiative_id=initiative.pk))
    text = deliverables.content.decode()
    assert "From the engagement events:" in text
    assert '<dt>People engaged</dt><dd class="num">2</dd>' in text
    assert '<dt>Sectors reached</dt><dd class="num">2</dd>' in text
    overview = client.get(url("detail", world.org, initiative_id=initiative.pk))
    assert '<dt>Events held</dt><dd class="num">1' in overview.content.decode()


def test_a_walk_in_consent_without_email_is_refused_next_to_the_field(world, login, initiative):
    event = EngagementEventFactory(initiative=initiative)
    response = login(world.coordinator).post(
        url("walk_in_add", world.org, event_id=event.pk),
        {"first_name": "Kim", "sector": "community", "consent": "on"},
    )
    assert_refused(response, "Add an e-mail address to send them news.")
    with scopes_disabled():
        assert not Contact.objects.filter(first_name="Kim").exists()


def test_events_list_takes_the_same_queries_for_few_and_many(world, login, initiative):
    client = login(world.roundtable)
    path = url("events", world.org, initiative_id=initiative.pk)
    assert_same_queries_for_few_and_many(
        client, path, lambda: AttendanceFactory(event__initiative=initiative), few=3, many=40
    )


def test_partner_sees_attendance_count_but_not_other_peoples_names(world, login, initiative):
    mine = PartnerFactory(organization=world.org)
    link_partner_user(world, mine)
    InitiativePartnerFactory(initiative=initiative, partner=mine)
    event = EngagementEventFactory(initiative=initiative)
    AttendanceFactory(event=event, contact__first_name="Outsiderperson")
    text = login(world.partner).get(url("event", world.org, event_id=event.pk)).content.decode()
    assert "Outsiderperson" not in text
    assert "1 person came." in text
    assert "Add a walk-in" not in text


def test_searching_people_to_add_answers_the_picker_for_htmx(world, login, initiative):
    event = EngagementEventFactory(initiative=initiative)
    ContactFactory(organization=world.org, first_name="Meiling", last_name="Chen")
    ContactFactory(organization=world.org, first_name="Bob", last_name="Stone")
    response = login(world.coordinator).get(
        url("event", world.org, event_id=event.pk) + "?q=meil", HTTP_HX_REQUEST="true"
    )
    body = response.content.decode()
    assert body.lstrip().startswith('<form id="attendee-picker"')
    assert "Meiling Chen" in body and "Bob Stone" not in body
