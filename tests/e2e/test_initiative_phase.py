"""A coordinator ticks a readiness item in place, then advances the initiative a phase,
confirming the items still open, and sees the move on the timeline. On the way, the
initiative's tabs fit a laptop screen."""

import datetime
import re

from django_scopes import scope
from playwright.sync_api import expect

from initiatives.models import Phase, PhaseTransition, ReadinessItem


def test_coordinator_ticks_a_readiness_item_and_advances_the_phase(signed_in, riverside):
    organization, coordinator = riverside
    initiative = riverside.start_initiative(
        "Poverty Reduction Roundtable 2027",
        "One in six households lives in poverty",
        datetime.date(2027, 1, 15),
    )

    page = signed_in(coordinator)
    page.get_by_role("link", name="All initiatives").click()
    expect(page.get_by_role("link", name="Poverty Reduction Roundtable 2027")).to_be_visible()

    page.get_by_role("link", name="Poverty Reduction Roundtable 2027").click()
    assert_tabs_fit_a_laptop_screen(page)
    page.get_by_role("navigation", name="Sections of the initiative").get_by_role(
        "link", name="Readiness"
    ).click()
    expect(
        page.get_by_role("navigation", name="Sections of the initiative").get_by_role(
            "link", name="Readiness"
        )
    ).to_have_attribute("aria-current", "page")
    cell = page.locator("#cell-pre_launch-governance")
    expect(cell).to_contain_text("0 of 2 done")
    expect(page.locator("#readiness-summary")).to_contain_text(" 0%")
    cell.get_by_role(
        "button", name="Tick “Core team of local cross-sector stakeholders is formed”"
    ).click()
    expect(cell).to_contain_text("1 of 2 done")
    untick = cell.get_by_role(
        "button", name="Untick “Core team of local cross-sector stakeholders is formed”"
    )
    expect(untick).to_be_visible()
    # The tick tells the truth in place: the phase's percentage moves, a polite live region
    # says what was saved, and the focus stays on the control.
    expect(page.locator("#readiness-summary")).not_to_contain_text(" 0%")
    expect(page.locator("#readiness-summary")).to_contain_text(re.compile(r"[1-9]\d*%"))
    expect(page.locator("#saved-status")).to_have_text(
        "Saved: “Core team of local cross-sector stakeholders is formed” is done."
    )
    expect(page.locator("#saved-status")).to_have_attribute("aria-live", "polite")
    expect(untick).to_be_focused()
    page.reload()  # the tick was saved, not only swapped in
    expect(page.locator("#cell-pre_launch-governance")).to_contain_text("1 of 2 done")

    page.get_by_role("link", name="Overview").click()
    page.get_by_label("Move to").select_option(Phase.INITIATE_ACTION.value)
    page.get_by_role("textbox", name="Note (optional)").fill(
        "The core team agreed there is urgency to move forward."
    )
    page.get_by_role("button", name="Change phase").click()
    expect(
        page.get_by_text(re.compile(r"readiness items of this phase are still open"))
    ).to_be_visible()
    page.get_by_label("Advance anyway, with the open readiness items recorded").check()
    page.get_by_role("button", name="Change phase").click()

    expect(
        page.get_by_text("Poverty Reduction Roundtable 2027 moved to II. Initiate action.")
    ).to_be_visible()
    timeline = page.locator(".timeline")
    expect(timeline).to_contain_text("Advanced: I. Pre-launch → II. Initiate action")
    expect(timeline).to_contain_text("The core team agreed there is urgency to move forward.")

    with scope(organization=organization):
        initiative.refresh_from_db()
        assert initiative.phase == Phase.INITIATE_ACTION
        transition = PhaseTransition.objects.get(initiative=initiative)
        ticked = ReadinessItem.objects.get(initiative=initiative, done_on__isnull=False)
    assert transition.by == coordinator
    assert ticked.text not in {item["text"] for item in transition.open_items}
    assert len(transition.open_items) > 0


def assert_tabs_fit_a_laptop_screen(page):
    """The twelve tabs wrap within their bar on a 1366 px screen: the page never scrolls sideways."""
    page.set_viewport_size({"width": 1366, "height": 900})
    tabs = page.get_by_role("navigation", name="Sections of the initiative")
    expect(tabs.get_by_role("link")).to_have_count(12)
    assert tabs.evaluate("nav => nav.scrollWidth <= nav.clientWidth")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    bar = tabs.bounding_box()
    for link in tabs.get_by_role("link").all():
        box = link.bounding_box()
        assert bar["x"] <= box["x"] and box["x"] + box["width"] <= bar["x"] + bar["width"]
