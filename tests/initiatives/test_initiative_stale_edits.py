"""Two people editing the same initiative details or row: a save over a change made
meanwhile is refused, the person's input is kept, and the page says so."""

import re

import pytest
from django_scopes import scope

from .factories import DeliverableFactory, InitiativeFactory, TeamFactory

BASE = "/o/riverside/initiatives"


def seen_in(page: str) -> str:
    return re.search(r'name="seen" value="([0-9a-f]*)"', page).group(1)


def initiative_case(world):
    initiative = InitiativeFactory(organization=world.org, name="Kept name")
    fields = {"issue": "Poverty", "start_date": "2027-01-01"}
    return initiative, f"{BASE}/{initiative.pk}/edit/", "name", fields


def team_case(world):
    team = TeamFactory(initiative__organization=world.org, name="Housing table")
    fields = {"kind": team.kind, "name": team.name, "chair": team.chair_id, "seats": ""}
    return team, f"{BASE}/teams/{team.pk}/edit/", "charter", fields


def deliverable_case(world):
    deliverable = DeliverableFactory(initiative__organization=world.org)
    fields = {"status": deliverable.status}
    return deliverable, f"{BASE}/deliverables/{deliverable.pk}/edit/", "title", fields


@pytest.mark.parametrize("case", [initiative_case, team_case, deliverable_case])
def test_a_save_over_a_change_made_meanwhile_is_refused_and_keeps_the_input(world, login, case):
    row, url, text, fields = case(world)
    mine, theirs = login(world.coordinator), login(world.admin)
    my_seen = seen_in(mine.get(url).content.decode())
    their_seen = seen_in(theirs.get(url).content.decode())
    saved = theirs.post(url, {**fields, text: "Their version", "seen": their_seen})
    assert saved.status_code == 302, saved.context["form"].errors

    response = mine.post(url, {**fields, text: "My version", "seen": my_seen})

    assert response.status_code == 422
    page = response.content.decode()
    assert "changed this since you opened the form" in page
    assert "My version" in page
    with scope(organization=world.org):
        row.refresh_from_db()
    assert getattr(row, text) == "Their version"
    # Having seen the change, saving again is deliberate and goes through.
    assert mine.post(url, {**fields, text: "My version", "seen": seen_in(page)}).status_code == 302
    with scope(organization=world.org):
        row.refresh_from_db()
    assert getattr(row, text) == "My version"
