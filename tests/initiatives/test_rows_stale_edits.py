"""Stale saves of the sponsor, readiness items, events, stories and participations are
refused: see
`tests/backbone/stale_saves.py` for what each case checks."""

import re

import pytest
from django.utils.html import escape
from django_scopes import scope

from initiatives.services import deliverable_update

from ..backbone.stale_saves import EditCase, check_stale_save_refused
from ..stakeholders.factories import PartnerFactory
from .factories import (
    DeliverableFactory,
    EngagementEventFactory,
    InitiativeFactory,
    ParticipationFactory,
    ReadinessItemFactory,
    StoryFactory,
)

BASE = "/o/riverside/initiatives"


def seen_in(page: str) -> str:
    return re.search(r'name="seen" value="([0-9a-f]*)"', page).group(1)


def sponsor_case(world):
    initiative = InitiativeFactory(organization=world.org)
    partner = PartnerFactory(organization=world.org)
    page = f"{BASE}/{initiative.pk}/governance/"
    action = f"{BASE}/{initiative.pk}/sponsor/"
    return EditCase(initiative, page, action, "sponsor_seats", 3, 5, {"sponsor": partner.pk})


def readiness_case(world):
    item = ReadinessItemFactory(initiative__organization=world.org)
    url = f"{BASE}/readiness/{item.pk}/edit/"
    return EditCase(item, url, url, "text", "Their wording", "My wording")


def event_case(world):
    event = EngagementEventFactory(initiative__organization=world.org, title="Town hall")
    url = f"{BASE}/events/{event.pk}/edit/"
    fields = {
        "kind": event.kind,
        "title": event.title,
        "starts_at": "2027-03-04T18:30",
        "place": "Library",
    }
    return EditCase(event, url, url, "notes", "Their notes", "My notes", fields)


def story_case(world):
    story = StoryFactory(initiative__organization=world.org)
    url = f"{BASE}/stories/{story.pk}/edit/"
    return EditCase(story, url, url, "text", "Their story", "My story", {"title": story.title})


def participation_case(world):
    participation = ParticipationFactory(initiative__organization=world.org)
    url = f"{BASE}/participations/{participation.pk}/edit/"
    fields = {"level": participation.level, "roles": ["champion"]}
    return EditCase(participation, url, url, "notes", "Their notes", "My notes", fields)


CASES = [sponsor_case, readiness_case, event_case, story_case, participation_case]


@pytest.mark.parametrize("make", CASES)
def test_a_stale_save_is_refused_naming_who_and_keeping_the_input(world, login, make):
    check_stale_save_refused(world, login, make(world))


def test_a_change_made_by_no_form_since_is_not_blamed_on_the_last_form_editor(world, login):
    """The name shown is of who left the row as it is: after a change no form made (an
    import, a service), the refusal names no one rather than the wrong person."""
    deliverable = DeliverableFactory(initiative__organization=world.org, title="First")
    url = f"{BASE}/deliverables/{deliverable.pk}/edit/"
    mine, theirs = login(world.coordinator), login(world.admin)
    fields = {"status": deliverable.status}
    their_seen = seen_in(theirs.get(url).text)
    assert theirs.post(url, {**fields, "title": "Theirs", "seen": their_seen}).status_code == 302
    my_seen = seen_in(mine.get(url).text)
    with scope(organization=world.org):
        deliverable_update(deliverable=deliverable, title="By no form")

    response = mine.post(url, {**fields, "title": "Mine", "seen": my_seen})

    assert response.status_code == 422
    assert "Someone changed this since you opened the form" in response.text
    assert escape(world.admin.display_name) not in response.text
