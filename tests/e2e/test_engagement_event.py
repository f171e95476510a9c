"""A coordinator records a community conversation, adds two attendees (one from the
registry, one walk-in who agrees to e-mail) and sees them counted on the "build community
will" deliverable."""

import datetime

from django_scopes import scopes_disabled
from playwright.sync_api import expect

from stakeholders.models import Contact, Sector


def test_coordinator_records_an_event_with_a_walk_in_and_sees_the_community_will(
    signed_in, riverside
):
    initiative = riverside.start_initiative(
        "Poverty Reduction Roundtable", "Reduce poverty in Riverside", datetime.date(2026, 1, 15)
    )
    riverside.add_contact("Mei", "Chen", Sector.EDUCATION)

    page = signed_in(riverside.coordinator)
    page.goto(f"/o/riverside/initiatives/{initiative.pk}/")
    page.get_by_role("link", name="Events", exact=True).click()

    page.get_by_text("Record an event").click()
    page.get_by_label("Kind").select_option(label="Community conversation")
    page.get_by_label("Title").fill("Community conversation at the library")
    page.get_by_label("Date and time").fill("2026-11-02T18:30")
    page.get_by_label("Place (optional)").fill("Central Library")
    page.get_by_role("button", name="Save event").click()
    expect(
        page.get_by_role("heading", name="Community conversation at the library")
    ).to_be_visible()

    page.get_by_label("Person").select_option(label="Mei Chen")
    page.get_by_role("button", name="Add attendee").click()
    expect(page.get_by_text("Mei Chen came.")).to_be_visible()

    page.get_by_label("First name").fill("Noor")
    page.get_by_label("Last name (optional)").fill("Haddad")
    page.get_by_label("E-mail (optional)").fill("noor@example.org")
    page.get_by_label("Sector").select_option(label="Community group / lived experience")
    page.get_by_label("Lived experience").check()
    page.get_by_label("Yes, send me news about this initiative by e-mail.").check()
    page.get_by_role("button", name="Add walk-in").click()
    expect(page.get_by_text("Noor Haddad came.")).to_be_visible()
    attendance = page.locator("#attendance")
    expect(attendance).to_contain_text("Mei Chen")
    expect(attendance).to_contain_text("Noor Haddad")

    page.get_by_role("link", name="Deliverables", exact=True).click()
    row = page.locator("tbody tr", has_text="Build community will")
    expect(row).to_contain_text("From the engagement events:")
    expect(row.locator("dt:has-text('People engaged') + dd")).to_have_text("2")
    expect(row.locator("dt:has-text('Sectors reached') + dd")).to_have_text("2")
    expect(row.locator("dt:has-text('Events held') + dd")).to_have_text("1")

    with scopes_disabled():
        noor = Contact.objects.get(email="noor@example.org")
        assert noor.consent == "given"
        assert noor.interactions.filter(kind="event").count() == 1
