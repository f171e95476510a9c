"""A partner downloads the template of what it owes for a period, fills it in a
spreadsheet, uploads it, reads the checked preview and submits: its values then wait
for approval."""

import csv
import io

from django_scopes import scopes_disabled
from playwright.sync_api import expect

from measures.models import DataPoint

from .steps import hampers_by_age


def test_a_partner_uploads_its_values_and_sees_them_awaiting_approval(
    signed_in, transactional_db, tmp_path
):
    initiative, indicator = hampers_by_age()
    page = signed_in("priya@riversidefoodbank.test")
    page.goto(f"/o/riverside/measures/initiatives/{initiative.pk}/enter/?period=2025-Q2")
    page.get_by_role("link", name="Upload a CSV of these values").click()
    with page.expect_download() as download:
        page.get_by_role("link", name="Download the template").click()
    table = list(csv.reader(io.StringIO(download.value.path().read_text("utf-8-sig"))))
    assert [row[3] for row in table[1:]] == ["", "Age group: 0–17", "Age group: 18+"]
    for row, value in zip(table[1:], ["1,200", "500", "700"], strict=True):
        row[4] = value
    filled = tmp_path / "hampers.csv"
    with filled.open("w", newline="", encoding="utf-8") as out:
        csv.writer(out).writerows(table)

    page.get_by_label("CSV file").set_input_files(filled)
    page.get_by_role("button", name="Check the file").click()
    expect(page.get_by_role("heading", name="Preview")).to_be_visible()
    expect(page.get_by_text("OK", exact=True)).to_have_count(3)
    page.get_by_role("button", name="Submit 3 values for approval").click()

    expect(page.get_by_text("3 value(s) submitted for approval.")).to_be_visible()
    expect(page.locator(f"label[for='id_v-{indicator.pk}-0'] .badge")).to_have_text("Submitted")
    expect(page.locator(f"#id_v-{indicator.pk}-1")).to_have_value("500")
    with scopes_disabled():
        assert sorted(DataPoint.objects.values_list("value", "status")) == [
            (500, "submitted"),
            (700, "submitted"),
            (1200, "submitted"),
        ]
