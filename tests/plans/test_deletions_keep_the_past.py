"""Deleting never rewrites the past: deliveries, attendance, answers and engagement history
outlive the deletion of who or what they were about, and the deletion page says so."""

import pytest
from django.db import connection
from django.db.models import ProtectedError
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django_scopes import scope

from backbone.deletion import deletion_consequences
from initiatives.models import Attendance, FeedbackSurvey, LevelChange, Participation
from initiatives.selectors.events import events_of
from initiatives.services.commitments import commitment_remove
from plans.models import Delivery, LinkClick, Newsletter
from plans.selectors.newsletter import newsletter_stats
from stakeholders.models import Contact
from stakeholders.services import contact_delete

from ..initiatives.factories import (
    AttendanceFactory,
    EngagementEventFactory,
    FeedbackSurveyFactory,
    InitiativeFactory,
    ParticipationFactory,
)
from ..stakeholders.factories import ContactFactory, InteractionFactory
from .factories import DeliveryFactory, NewsletterFactory


def contact_url(world, name, contact):
    return reverse(
        f"stakeholders:{name}", kwargs={"org_slug": world.org.slug, "contact_id": contact.pk}
    )


def test_deleting_a_contact_keeps_the_past_issues_sent_count_and_clicks(world):
    issue = NewsletterFactory(organization=world.org)
    delivery = DeliveryFactory(newsletter=issue, status=Delivery.Status.SENT)
    DeliveryFactory(newsletter=issue, status=Delivery.Status.SENT)
    LinkClick.objects.create(organization=world.org, delivery=delivery, url="https://example.org/")
    with scope(organization=world.org):
        contact_delete(contact=delivery.contact)
        (stats,) = newsletter_stats(Newsletter.objects.filter(pk=issue.pk))
        assert (stats.delivered, stats.clicks) == (2, 1)
        kept = Delivery.objects.get(pk=delivery.pk)
        assert kept.contact_id is None and kept.email == delivery.email


def test_deleting_a_contact_keeps_the_past_events_attendance_and_their_name(world):
    event = EngagementEventFactory(initiative=InitiativeFactory(organization=world.org))
    came = AttendanceFactory(
        event=event,
        contact=ContactFactory(organization=world.org, first_name="Ada", last_name="Gone"),
    )
    AttendanceFactory(event=event)
    with scope(organization=world.org):
        contact_delete(contact=came.contact)
        assert events_of(event.initiative).get().attendance_count == 2
        assert Attendance.objects.get(pk=came.pk).name == "Ada Gone"


def test_a_person_who_takes_part_is_not_deleted_with_their_engagement_history(world):
    participation = ParticipationFactory(initiative=InitiativeFactory(organization=world.org))
    LevelChange.objects.create(
        organization=world.org,
        initiative=participation.initiative,
        participation=participation,
        to_level="involve",
    )
    with scope(organization=world.org):
        with pytest.raises(ProtectedError):
            contact_delete(contact=participation.contact)
        assert Participation.objects.filter(pk=participation.pk).exists()
        assert LevelChange.objects.filter(participation=participation).exists()


def test_removing_a_commitment_keeps_its_answered_survey(world):
    survey = FeedbackSurveyFactory(
        commitment__initiative=InitiativeFactory(organization=world.org),
        answered_at=timezone.now(),
        activities="We hosted the monthly table.",
    )
    with scope(organization=world.org):
        commitment_remove(commitment=survey.commitment)
        kept = FeedbackSurvey.objects.get(pk=survey.pk)
        assert kept.commitment_id is None and kept.activities == "We hosted the monthly table."
        assert kept.initiative_id == survey.commitment.initiative_id
        assert kept.partner_name == survey.commitment.partner.name


def test_deleting_a_contact_who_was_sent_a_survey_keeps_the_answers(world):
    survey = FeedbackSurveyFactory(
        commitment__initiative=InitiativeFactory(organization=world.org),
        sent_to=ContactFactory(organization=world.org),
        answered_at=timezone.now(),
    )
    with scope(organization=world.org):
        contact_delete(contact=survey.sent_to)
        assert FeedbackSurvey.objects.get(pk=survey.pk).sent_to_id is None


def test_the_contact_deletion_page_says_what_goes_and_what_stays_and_a_get_deletes_nothing(
    world, login
):
    contact = ContactFactory(organization=world.org, first_name="Forget", last_name="Me")
    InteractionFactory(contact=contact)
    DeliveryFactory(newsletter=NewsletterFactory(organization=world.org), contact=contact)
    AttendanceFactory(
        event=EngagementEventFactory(initiative=InitiativeFactory(organization=world.org)),
        contact=contact,
    )
    client = login(world.coordinator)
    page = client.get(contact_url(world, "contact_delete", contact))
    assert page.status_code == 200
    goes, stays = page.text.split("What stays")
    assert "1 timeline entry" in goes.split("What goes with it")[1]
    assert "1 newsletter delivery" in stays and "1 event attendance" in stays
    with scope(organization=world.org):
        assert Contact.objects.filter(pk=contact.pk).exists()
    client.post(contact_url(world, "contact_delete", contact))
    with scope(organization=world.org):
        assert not Contact.objects.filter(pk=contact.pk).exists()


def test_what_a_deletion_takes_is_counted_in_one_query(world):
    contact = ContactFactory(organization=world.org, first_name="Forget", last_name="Me")
    InteractionFactory(contact=contact)
    InteractionFactory(contact=contact)
    DeliveryFactory(newsletter=NewsletterFactory(organization=world.org), contact=contact)
    with CaptureQueriesContext(connection) as queries:
        found = deletion_consequences(contact)
    assert len(queries) == 1
    assert [str(c) for c in found.goes] == ["2 timeline entries"]
    assert [str(c) for c in found.stays] == ["1 newsletter delivery"]
    assert found.blocks == []
    with CaptureQueriesContext(connection) as queries:
        assert deletion_consequences(ContactFactory(organization=world.org)).goes == []
    assert len(queries) == 2  # the new contact's insert, then the one count


def test_an_event_people_came_to_is_not_removed_with_its_attendance(world, login):
    event = EngagementEventFactory(initiative=InitiativeFactory(organization=world.org))
    AttendanceFactory(event=event)
    response = login(world.coordinator).post(
        reverse(
            "initiatives:event_remove", kwargs={"org_slug": world.org.slug, "event_id": event.pk}
        ),
        follow=True,
    )
    assert "attendance is part of the record" in response.text
    with scope(organization=world.org):
        assert Attendance.objects.filter(event=event).count() == 1
