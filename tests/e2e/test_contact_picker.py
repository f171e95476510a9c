"""A coordinator of a long registry chooses an action item's lead by typing part of a name:
the picker searches as they type (htmx) and they pick the person from the matches."""

import datetime

from playwright.sync_api import expect

from stakeholders import pickers
from stakeholders.models import Sector


def test_coordinator_chooses_a_lead_through_the_search(signed_in, riverside, monkeypatch):
    # The live server runs in this process: a low limit makes this registry "long".
    monkeypatch.setattr(pickers, "PICKER_LIMIT", 3)
    initiative = riverside.start_initiative(
        "Ready by Five", "Children start school ready to learn", datetime.date(2027, 1, 15)
    )
    for first, last in [("Rosa", "Delgado"), ("Rosalind", "Park"), ("Tom", "Ng"), ("Ada", "Li")]:
        riverside.add_contact(first, last, Sector.FUNDER)

    page = signed_in(riverside.coordinator)
    page.goto(f"/o/riverside/initiatives/{initiative.pk}/actions/")
    page.get_by_text("Add an action item").click()
    page.get_by_label("Title").fill("Map the system we want to engage")
    lead = page.get_by_label("Lead (optional)")
    expect(lead).to_have_attribute("type", "search")  # no option list
    lead.press_sequentially("rosa")
    expect(page.get_by_role("radio", name="Rosalind Park")).to_be_visible()
    expect(page.get_by_role("radio", name="Tom Ng")).to_have_count(0)
    lead.press_sequentially(" delg")
    expect(page.get_by_role("radio", name="Rosalind Park")).to_have_count(0)
    page.get_by_role("radio", name="Rosa Delgado").check()
    page.get_by_role("button", name="Add", exact=True).click()
    row = page.locator("tbody tr", has_text="Map the system we want to engage")
    expect(row).to_contain_text("Rosa Delgado")
