import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from django_scopes import scope

from stakeholders.models import Interaction, InteractionKind
from stakeholders.services import interaction_record

from .factories import ContactFactory


def detail(contact):
    return reverse(
        "stakeholders:contact_detail", kwargs={"org_slug": "riverside", "contact_id": contact.pk}
    )


def test_higher_apps_write_into_the_timeline_and_it_shows_newest_first(world, login):
    contact = ContactFactory(organization=world.org)
    with scope(organization=world.org):
        interaction_record(
            contact=contact,
            kind=InteractionKind.EVENT,
            summary="Attended the Eastbank kitchen-table conversation",
            occurred_at=timezone.now() - timedelta(days=10),
            url="/o/riverside/initiatives/",
        )
        interaction_record(
            contact=contact,
            kind=InteractionKind.NEWSLETTER,
            summary="Received the weekly newsletter",
        )
    text = login(world.roundtable).get(detail(contact)).text
    assert text.index("Received the weekly newsletter") < text.index("Attended the Eastbank")
    assert "Event attended" in text and "Newsletter received" in text
    assert 'href="/o/riverside/initiatives/"' in text


def test_an_unknown_kind_is_refused(world):
    contact = ContactFactory(organization=world.org)
    with scope(organization=world.org), pytest.raises(ValueError):
        interaction_record(contact=contact, kind="gossip", summary="x")


def test_a_coordinator_logs_a_note_and_htmx_gets_the_timeline_back(world, login):
    contact = ContactFactory(organization=world.org)
    url = reverse(
        "stakeholders:contact_note", kwargs={"org_slug": "riverside", "contact_id": contact.pk}
    )
    response = login(world.coordinator).post(
        url, {"summary": "Wants to join the listening team"}, HTTP_HX_REQUEST="true"
    )
    assert 'id="timeline"' in response.text and "<html" not in response.text
    assert "Wants to join the listening team" in response.text
    with scope(organization=world.org):
        note = Interaction.objects.get(contact=contact)
    assert note.kind == InteractionKind.NOTE and note.created_by == world.coordinator


def test_an_empty_note_gets_a_message_and_saves_nothing(world, login):
    contact = ContactFactory(organization=world.org)
    url = reverse(
        "stakeholders:contact_note", kwargs={"org_slug": "riverside", "contact_id": contact.pk}
    )
    response = login(world.coordinator).post(url, {"summary": ""})
    assert response.status_code == 422 and 'id="id_summary_error"' in response.text
    with scope(organization=world.org):
        assert not Interaction.objects.exists()


def test_roundtable_members_cannot_log_notes(world, login):
    contact = ContactFactory(organization=world.org)
    url = reverse(
        "stakeholders:contact_note", kwargs={"org_slug": "riverside", "contact_id": contact.pk}
    )
    assert login(world.roundtable).post(url, {"summary": "x"}).status_code == 403


def test_a_keyed_entry_is_written_once_so_retried_tasks_log_it_once(world):
    contact = ContactFactory(organization=world.org)
    with scope(organization=world.org):
        first = interaction_record(
            contact=contact,
            kind=InteractionKind.NEWSLETTER,
            summary="Weekly news #12",
            key="newsletter:12",
        )
        again = interaction_record(
            contact=contact,
            kind=InteractionKind.NEWSLETTER,
            summary="Weekly news #12",
            key="newsletter:12",
        )
        interaction_record(contact=contact, kind=InteractionKind.NOTE, summary="Unkeyed")
        interaction_record(contact=contact, kind=InteractionKind.NOTE, summary="Unkeyed")
        assert first.pk == again.pk
        assert Interaction.objects.filter(contact=contact).count() == 3


def test_a_timeline_link_must_be_a_path_or_a_web_address(world):
    contact = ContactFactory(organization=world.org)
    with scope(organization=world.org), pytest.raises(ValueError):
        interaction_record(
            contact=contact, kind=InteractionKind.EVENT, summary="x", url="javascript:alert(1)"
        )


def test_an_empty_note_sent_by_htmx_comes_back_with_the_message_in_the_timeline(world, login):
    contact = ContactFactory(organization=world.org)
    url = reverse(
        "stakeholders:contact_note", kwargs={"org_slug": "riverside", "contact_id": contact.pk}
    )
    response = login(world.coordinator).post(url, {"summary": ""}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert 'id="timeline"' in response.text and 'id="id_summary_error"' in response.text


def test_a_note_added_in_place_is_announced_to_the_live_region(world, login):
    contact = ContactFactory(organization=world.org)
    url = reverse(
        "stakeholders:contact_note", kwargs={"org_slug": "riverside", "contact_id": contact.pk}
    )
    client = login(world.coordinator)
    added = client.post(url, {"summary": "Called back"}, HTTP_HX_REQUEST="true").text
    assert re.search(r'<div id="saved-status" hx-swap-oob="innerHTML">.*Note added\.', added)
    refused = client.post(url, {"summary": ""}, HTTP_HX_REQUEST="true").text
    assert 'id="saved-status"' not in refused
