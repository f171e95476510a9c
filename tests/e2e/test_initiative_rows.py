"""A coordinator adds an action item in place, sees a bad due date refused next to the
field, then marks the item done from its row, all without leaving the page."""

import datetime

from django_scopes import scope
from playwright.sync_api import expect

from initiatives.models import ActionItem, WorkStatus
from stakeholders.models import Sector


def test_coordinator_adds_an_action_item_and_marks_it_done_in_place(signed_in, riverside):
    organization, coordinator = riverside
    initiative = riverside.start_initiative(
        "Ready by Five", "Children start school ready to learn", datetime.date(2027, 1, 15)
    )
    riverside.add_contact("Rosa", "Delgado", Sector.FUNDER)

    page = signed_in(coordinator)
    page.goto(f"/o/riverside/initiatives/{initiative.pk}/actions/")

    page.get_by_text("Add an action item").click()
    page.get_by_label("Title").fill("Map the system we want to engage")
    page.get_by_label("Lead (optional)").select_option(label="Rosa Delgado")
    page.get_by_label("Due date (optional)").fill("2026-12-01")
    page.get_by_role("button", name="Add", exact=True).click()
    expect(page.get_by_text("The due date can't be before the initiative starts")).to_be_visible()

    page.get_by_label("Due date (optional)").fill("2027-03-01")
    page.get_by_role("button", name="Add", exact=True).click()
    row = page.locator("tbody tr", has_text="Map the system we want to engage")
    expect(row).to_contain_text("Rosa Delgado")
    # htmx binds the swapped-in row's own controls once it settles; start from a fresh
    # load (which also shows the row was saved) so the next change is never missed.
    page.reload()
    row = page.locator("tbody tr", has_text="Map the system we want to engage")
    expect(row).to_contain_text("Rosa Delgado")

    # The select alone shows "done" at once: wait for the row the server swaps in.
    with page.expect_response(lambda response: "/status/" in response.url):
        row.get_by_label("Status of “Map the system we want to engage”").select_option("done")
    with scope(organization=organization):
        assert ActionItem.objects.get().status == WorkStatus.DONE
    page.reload()
    expect(page.get_by_label("Status of “Map the system we want to engage”")).to_have_value("done")
