"""The organization's navigation comes from one list (backbone.navigation): same items, same
order, each behind its permission, the area being read marked."""

import re

from backbone.models import Role

AREAS = ["", "initiatives/", "stakeholders/", "measures/", "plans/"]


def nav_links(html: str) -> list[str]:
    nav = re.search(r'<nav class="org-nav".*?</nav>', html, re.S).group(0)
    return re.findall(r'href="/o/riverside/([^"]*)"', nav)


def test_each_role_sees_the_areas_its_permissions_allow_in_one_order(world, login):
    expected = {
        Role.ADMIN: [*AREAS, "newsletters/", "reviews/", "members/", "settings/"],
        Role.COORDINATOR: [*AREAS, "newsletters/", "reviews/", "members/"],
        Role.ROUNDTABLE: [*AREAS, "reviews/", "members/"],
        Role.PARTNER: AREAS,
    }
    for role, links in expected.items():
        html = login(world.member(role)).get("/o/riverside/").content.decode()
        assert nav_links(html) == links, role


def test_the_area_being_read_is_marked_and_the_dashboard_only_on_its_own_page(world, login):
    client = login(world.coordinator)
    home = client.get("/o/riverside/").content.decode()
    assert '<a href="/o/riverside/" aria-current="page">Dashboard</a>' in home
    contacts = client.get("/o/riverside/stakeholders/").content.decode()
    assert '<a href="/o/riverside/stakeholders/" aria-current="page">Stakeholders</a>' in contacts
    assert '<a href="/o/riverside/" aria-current="page">' not in contacts


def test_pages_outside_an_organization_have_no_organization_nav(world, login):
    html = login(world.coordinator).get("/organizations/new/").content.decode()
    assert 'class="org-nav"' not in html
