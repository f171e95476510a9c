"""The registry's tab bar (stakeholder_tags.stakeholder_tabs): the lists a member may open,
the one being read marked."""

import re


def tabs_of(html: str) -> list[tuple[str, bool]]:
    nav = re.search(r'<nav class="tabs" aria-label="Stakeholders">.*?</nav>', html, re.S).group(0)
    return [
        (label, bool(current))
        for current, label in re.findall(r'( aria-current="page")?>([^<]+)</a>', nav)
    ]


def test_staff_see_every_list_and_the_current_one_marked(world, login):
    html = login(world.coordinator).get("/o/riverside/stakeholders/partners/").content.decode()
    assert tabs_of(html) == [
        ("Contacts", False),
        ("Partners", True),
        ("Capacity", False),
        ("Tags", False),
        ("Import and export", False),
    ]


def test_readers_see_the_contacts_partners_and_capacity_only(world, login):
    html = login(world.roundtable).get("/o/riverside/stakeholders/").content.decode()
    assert tabs_of(html) == [("Contacts", True), ("Partners", False), ("Capacity", False)]


def test_partner_users_see_no_capacity_table(world, login):
    html = login(world.partner).get("/o/riverside/stakeholders/").content.decode()
    assert ("Capacity", False) not in tabs_of(html)
