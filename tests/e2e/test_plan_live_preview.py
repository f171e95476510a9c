"""A coordinator writes a section in Markdown and sees the sanitized preview as they type."""

from django_scopes import scopes_disabled
from playwright.sync_api import expect

from plans.services import plan as services
from tests.initiatives.factories import InitiativeFactory


def test_live_preview_renders_markdown_and_drops_scripts(signed_in, riverside):
    org, coordinator = riverside
    initiative = InitiativeFactory(organization=org, name="Early Years Table")
    with scopes_disabled():
        draft = services.plan_start(initiative=initiative).versions.get()

    page = signed_in(coordinator)
    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))

    page.goto(f"/o/riverside/plans/versions/{draft.pk}/")
    page.get_by_role("link", name="Edit The change we want to see").click()
    page.get_by_label("Text").fill(
        "Every child **ready for school**.\n\n<img src=x onerror=alert(1)><script>alert(2)</script>"
    )
    preview = page.locator("#plan-preview")
    expect(preview.locator("strong")).to_have_text("ready for school")
    expect(preview.locator("img, script")).to_have_count(0)

    # Saved in place: the live region says so, the focus stays on the button, the page stays.
    page.get_by_role("button", name="Save section").click()
    expect(page.locator("#saved-status")).to_have_text("Saved: The change we want to see.")
    expect(page.get_by_role("button", name="Save section")).to_be_focused()
    page.get_by_role("link", name="Back to the plan").click()
    expect(page.locator("#section-change strong")).to_have_text("ready for school")
    assert dialogs == []
