"""Two people editing one plan section: no one's text is lost, and the section keeps
its history."""

import datetime as dt
import re

from django_scopes import scope

from plans.models import PlanSection

from ..initiatives.factories import InitiativeFactory
from .factories import draft_of, started_plan

BASE = "/o/riverside/plans"


def seen_in(page: str) -> str:
    return re.search(r'name="seen" value="([0-9a-f]*)"', page).group(1)


def draft(world):
    initiative = InitiativeFactory(organization=world.org, name="Poverty Reduction Roundtable")
    return draft_of(started_plan(initiative))


def body_of(world, version):
    with scope(organization=world.org):
        return PlanSection.objects.get(version=version, key="change").body


def test_a_stale_section_save_is_refused_keeping_both_texts(world, login):
    version = draft(world)
    url = f"{BASE}/versions/{version.pk}/sections/change/"
    mine, theirs = login(world.coordinator), login(world.admin)
    my_seen = seen_in(mine.get(url).content.decode())
    their_seen = seen_in(theirs.get(url).content.decode())
    assert theirs.post(url, {"body": "Their careful text.", "seen": their_seen}).status_code == 302

    response = mine.post(url, {"body": "My own text.", "seen": my_seen})

    assert response.status_code == 422
    page = response.content.decode()
    assert "changed this since you opened the form" in page
    assert world.admin.display_name in page  # who changed it meanwhile
    assert "My own text.</textarea>" in page  # mine is kept in the form
    assert "The text saved meanwhile" in page and "Their careful text." in page
    assert body_of(world, version) == "Their careful text."
    # Having seen theirs, saving again is deliberate and goes through.
    again = mine.post(url, {"body": "My merged text.", "seen": seen_in(page)})
    assert again.status_code == 302
    assert body_of(world, version) == "My merged text."


def test_a_section_shows_who_saved_which_text_when(world, login, clock):
    version = draft(world)
    url = f"{BASE}/versions/{version.pk}/sections/change/"
    first, second = login(world.coordinator), login(world.admin)
    first.post(url, {"body": "First text.", "seen": seen_in(first.get(url).content.decode())})
    clock.shift(dt.timedelta(minutes=5))
    second.post(url, {"body": "Second text.", "seen": seen_in(second.get(url).content.decode())})

    page = first.get(url).content.decode()

    history = page[page.index("History of this section") :]
    assert history.index("Second text.") < history.index("First text.")
    assert world.admin.display_name in history and world.coordinator.display_name in history


def test_a_section_saved_in_place_says_so_and_can_be_saved_again(world, login):
    version = draft(world)
    url = f"{BASE}/versions/{version.pk}/sections/change/"
    client = login(world.coordinator)
    seen = seen_in(client.get(url).content.decode())
    saved = client.post(url, {"body": "Every child ready.", "seen": seen}, HTTP_HX_REQUEST="true")
    assert saved.status_code == 200
    html = saved.content.decode()
    assert html.lstrip().startswith('<div class="grid grid--2 plan-editor" id="plan-editor">')
    assert re.search(
        r'<div id="saved-status" hx-swap-oob="innerHTML">.*Saved: The change we want to see\.', html
    )
    assert body_of(world, version) == "Every child ready."
    # The editor carries the new fingerprint: the next save of the same person goes through.
    again = client.post(
        url, {"body": "Every child ready to learn.", "seen": seen_in(html)}, HTTP_HX_REQUEST="true"
    )
    assert again.status_code == 200 and body_of(world, version) == "Every child ready to learn."
    # A stale one is refused in place, 422, with nothing announced.
    stale = client.post(url, {"body": "Old view.", "seen": seen}, HTTP_HX_REQUEST="true")
    assert stale.status_code == 422 and 'id="saved-status"' not in stale.content.decode()
    assert "The text saved meanwhile" in stale.content.decode()
