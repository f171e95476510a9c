"""A coordinator imports contacts from a CSV: sees every row's outcome in the preview,
confirms, finds the people in the registry, and filters the list."""

import re

from django_scopes import scopes_disabled
from playwright.sync_api import expect

from stakeholders.models import Contact
from tests.stakeholders.factories import PartnerFactory

CSV = (
    "first_name;last_name;email;partner;sector;lived_experience;tags;consent\n"
    "Aisha;Chen;aisha@example.org;Riverside Food Bank;non_profit;no;speaker;yes\n"
    "Rosa;Martinez;rosa@example.org;;community;yes;early years;no\n"
    "Bad;Row;not-an-email;;health;no;;no\n"
)


def test_a_coordinator_imports_contacts_through_the_preview(signed_in, riverside, tmp_path):
    organization, coordinator = riverside
    PartnerFactory(organization=organization, name="Riverside Food Bank")
    upload = tmp_path / "people.csv"
    upload.write_text("\ufeff" + CSV, encoding="utf-8")

    page = signed_in(coordinator)

    page.goto("/o/riverside/stakeholders/")
    page.get_by_role("link", name="Import and export").click()
    page.get_by_label("What the file holds").select_option("contacts")
    page.get_by_label("CSV file").set_input_files(str(upload))
    page.get_by_label("Consent basis").fill("Sign-up sheet at the October community forum")
    page.get_by_role("button", name="Preview import").click()

    expect(page.get_by_role("heading", name="Import of people.csv")).to_be_visible()
    expect(page.get_by_text("2 new", exact=True)).to_be_visible()
    expect(page.get_by_text("1 with errors", exact=True)).to_be_visible()
    expect(
        page.get_by_text("Row 4, column “email”: “not-an-email” is not an e-mail address.")
    ).to_be_visible()
    with scopes_disabled():
        assert not Contact.objects.exists()  # nothing saved before confirming

    page.get_by_role("button", name="Import 2 rows").click()
    expect(
        page.get_by_text("Import done: 2 new, 0 updated, 0 unchanged, 1 rows skipped")
    ).to_be_visible()

    page.get_by_role("link", name="See the registry").click()
    expect(page.get_by_role("link", name="Aisha Chen")).to_be_visible()
    expect(page.get_by_role("link", name="Rosa Martinez")).to_be_visible()

    # The filters update the list in place (HTMX) and the URL keeps them.
    page.get_by_label("Lived experience").select_option("yes")
    expect(page.get_by_role("link", name="Aisha Chen")).to_have_count(0)
    expect(page.get_by_role("link", name="Rosa Martinez")).to_be_visible()
    expect(page).to_have_url(re.compile(r"lived_experience=yes"))

    page.reload()
    expect(page.get_by_role("link", name="Aisha Chen")).to_have_count(0)
    page.get_by_label("Lived experience").select_option("")
    page.get_by_role("link", name="Aisha Chen").click()
    expect(page.get_by_role("heading", name="Aisha Chen")).to_be_visible()
    expect(
        page.get_by_text("Sign-up sheet at the October community forum (people.csv)")
    ).to_be_visible()
