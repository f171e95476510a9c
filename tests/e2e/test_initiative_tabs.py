"""An initiative's twelve tabs fit their bar on a 1366 px screen (they wrap, the page never
scrolls sideways), and each tab is a real link."""

import datetime

from django_scopes import scope
from playwright.sync_api import expect

from backbone.models import Role
from initiatives import services
from tests.factories import MembershipFactory, OrganizationFactory, UserFactory


def test_the_initiative_tabs_fit_a_laptop_screen(signed_in, transactional_db):
    organization = OrganizationFactory(name="Riverside Collective", slug="riverside")
    coordinator = UserFactory(email="coordinator@riverside.test")
    MembershipFactory(user=coordinator, organization=organization, role=Role.COORDINATOR)
    with scope(organization=organization):
        initiative = services.initiative_create(
            organization=organization,
            name="Poverty Reduction Roundtable 2027",
            issue="One in six households lives in poverty",
            start_date=datetime.date(2027, 1, 15),
        )

    page = signed_in(coordinator)
    page.set_viewport_size({"width": 1366, "height": 900})
    page.goto(f"/o/riverside/initiatives/{initiative.pk}/")
    tabs = page.get_by_role("navigation", name="Sections of the initiative")
    expect(tabs.get_by_role("link")).to_have_count(12)
    assert tabs.evaluate("nav => nav.scrollWidth <= nav.clientWidth")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    for link in tabs.get_by_role("link").all():
        box, bar = link.bounding_box(), tabs.bounding_box()
        assert bar["x"] <= box["x"] and box["x"] + box["width"] <= bar["x"] + bar["width"]

    tabs.get_by_role("link", name="Funding").click()
    expect(page).to_have_url(
        f"{page.url.split('/o/')[0]}/o/riverside/initiatives/{initiative.pk}/funding/"
    )
    expect(tabs.get_by_role("link", name="Funding")).to_have_attribute("aria-current", "page")
