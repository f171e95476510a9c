"""A column copied from a spreadsheet, pasted into the first value field, fills the fields
below it, one line each (our static/js/entry-paste.js)."""

from playwright.sync_api import expect

from .steps import hampers_by_age

PASTE = """(text) => {
  const data = new DataTransfer();
  data.setData("text/plain", text);
  const field = document.querySelector("input[data-paste-column]");
  field.focus();
  field.dispatchEvent(new ClipboardEvent("paste", {clipboardData: data, bubbles: true, cancelable: true}));
}"""


def test_a_pasted_column_fills_one_field_per_line(signed_in, transactional_db):
    initiative, indicator = hampers_by_age()
    page = signed_in("priya@riversidefoodbank.test")
    page.goto(f"/o/riverside/measures/initiatives/{initiative.pk}/enter/?period=2025-Q2")
    page.evaluate(PASTE, "1,200\t(total)\r\n500\n700\n")
    for index, value in enumerate(["1,200", "500", "700"]):
        expect(page.locator(f"#id_v-{indicator.pk}-{index}")).to_have_value(value)
    expect(page.locator("#paste-status")).to_have_text("3 values pasted.")
    page.get_by_role("button", name="Save as draft").click()
    expect(page.get_by_text("saved", exact=False).first).to_be_visible()
    expect(page.locator(f"#id_v-{indicator.pk}-0")).to_have_value("1,200")
