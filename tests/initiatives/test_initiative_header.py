"""The header of an initiative's pages: its tabs (one list, real links), and the banner of an
archived initiative, which can be read by everyone who could read it but not changed."""

import re

import pytest
from django.utils import timezone

from .factories import (
    CommitmentFactory,
    DeliverableFactory,
    EngagementEventFactory,
    InitiativeFactory,
    RiskFactory,
    StoryFactory,
    TeamFactory,
)

BASE = "/o/riverside/initiatives"
BANNER = "This initiative is archived: it can be read but not changed."
SECTIONS = [
    "",
    "readiness",
    "deliverables",
    "actions",
    "governance",
    "risks",
    "people",
    "system-map",
    "events",
    "commitments",
    "stories",
    "funding",
]


def tab_links(html: str) -> list[tuple[str, bool]]:
    nav = re.search(
        r'<nav class="tabs" aria-label="Sections of the initiative">.*?</nav>', html, re.S
    )
    return [
        (href, bool(current))
        for href, current in re.findall(r'href="([^"]+)"( aria-current="page")?', nav.group(0))
    ]


def test_the_tabs_link_every_section_and_mark_the_one_being_read(world, login):
    initiative = InitiativeFactory(organization=world.org)
    html = login(world.roundtable).get(f"{BASE}/{initiative.pk}/risks/").content.decode()
    tabs = tab_links(html)
    assert [href.split(f"/{initiative.pk}/")[1] for href, _ in tabs] == [
        "", "readiness/", "deliverables/", "actions/", "governance/", "risks/", "people/",
        "system-map/", "events/", "commitments/", "stories/", "funding/",
    ]  # fmt: skip
    assert [href for href, current in tabs if current] == [f"{BASE}/{initiative.pk}/risks/"]


def test_a_live_initiative_shows_no_banner_and_its_controls_to_staff(world, login):
    initiative = InitiativeFactory(organization=world.org)
    DeliverableFactory(initiative=initiative, organization=world.org)
    html = login(world.coordinator).get(f"{BASE}/{initiative.pk}/deliverables/").content.decode()
    assert BANNER not in html
    assert "Edit details" in html and "Add a deliverable" in html and ">Remove<" in html


@pytest.fixture
def archived(world):
    initiative = InitiativeFactory(organization=world.org, archived_at=timezone.now())
    DeliverableFactory(initiative=initiative, organization=world.org)
    RiskFactory(initiative=initiative, organization=world.org)
    TeamFactory(initiative=initiative, organization=world.org)
    initiative.event = EngagementEventFactory(initiative=initiative, organization=world.org)
    CommitmentFactory(initiative=initiative, organization=world.org)
    StoryFactory(initiative=initiative, organization=world.org)
    return initiative


def test_an_archived_initiative_shows_the_banner_with_restore_to_staff(world, login, archived):
    html = login(world.coordinator).get(f"{BASE}/{archived.pk}/").content.decode()
    assert BANNER in html
    assert f'action="{BASE}/{archived.pk}/archive/"' in html and ">Restore<" in html
    assert "Edit details" not in html and ">Archive<" not in html


def test_readers_see_the_banner_without_restore(world, login, archived):
    html = login(world.roundtable).get(f"{BASE}/{archived.pk}/").content.decode()
    assert BANNER in html
    assert ">Restore<" not in html


def pages_of(initiative) -> list[str]:
    pages = [f"{BASE}/{initiative.pk}/{section}/".replace("//", "/") for section in SECTIONS]
    return [*pages, f"{BASE}/events/{initiative.event.pk}/"]


def test_an_archived_initiative_hides_add_edit_and_remove_controls(world, login, archived):
    client = login(world.coordinator)
    for url in pages_of(archived):
        response = client.get(url)
        assert response.status_code == 200, url
        main = re.search(r"<main.*</main>", response.content.decode(), re.S).group(0)
        assert BANNER in main, url
        # The one form left is Restore: no add, edit, remove, status or tick controls.
        assert main.count('method="post"') == 1, url
        assert f'action="{BASE}/{archived.pk}/archive/"' in main, url
        assert "hx-post" not in main and "/edit/" not in main, url


def test_the_same_pages_of_a_live_initiative_show_the_controls_to_staff(world, login, archived):
    archived.archived_at = None
    archived.save()
    client = login(world.coordinator)
    for url in pages_of(archived):
        main = re.search(r"<main.*</main>", client.get(url).content.decode(), re.S).group(0)
        assert BANNER not in main
        # Archive, and (but on the read-only system map) the page's own controls.
        assert main.count('method="post"') > (0 if url.endswith("/system-map/") else 1), url
