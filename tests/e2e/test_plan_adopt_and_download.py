"""A coordinator adopts the draft of the common agenda and downloads its PDF."""

import re

from django_scopes import scopes_disabled
from playwright.sync_api import expect
from pypdf import PdfReader

from plans.models import PlanVersion
from plans.services import plan as services
from tests.initiatives.factories import InitiativeFactory


def test_coordinator_adopts_the_plan_and_downloads_its_pdf(signed_in, riverside, tmp_path):
    org, coordinator = riverside
    initiative = InitiativeFactory(organization=org, name="Poverty Reduction Roundtable")
    with scopes_disabled():
        plan = services.plan_start(initiative=initiative)
        draft = plan.versions.get()
        services.section_update(
            version=draft, key="executive_summary", body="Together we halve poverty by 2035."
        )

    page = signed_in(coordinator)

    page.goto("/o/riverside/plans/")
    page.get_by_role("link", name="Poverty Reduction Roundtable").click()
    expect(page.get_by_text("Together we halve poverty by 2035.")).to_be_visible()

    page.get_by_role("link", name="Adopt this version").click()
    page.get_by_label("Adopted on").fill("2026-03-04")
    page.get_by_label("Adopted by").fill("Leadership roundtable")
    page.get_by_role("button", name="Adopt and freeze").click()
    expect(page.get_by_text("Version 1 is adopted and frozen.")).to_be_visible()
    expect(page.get_by_role("link", name="Adopt this version")).to_have_count(0)
    expect(page.get_by_role("button", name="Start the next draft")).to_be_visible()

    page.get_by_role("button", name="Prepare PDF").click()
    download_link = page.get_by_role("link", name="Download PDF")
    # Rendering the tagged PDF takes a few seconds on a busy machine.
    expect(download_link).to_be_visible(timeout=30_000)
    with page.expect_download() as info:
        download_link.click()
    download = info.value
    assert re.match(r"Poverty Reduction Roundtable - plan v1\.pdf", download.suggested_filename)
    path = tmp_path / "plan.pdf"
    download.save_as(path)
    reader = PdfReader(path)
    text = "\n".join(p.extract_text() for p in reader.pages)
    assert "Poverty Reduction Roundtable" in text
    assert "Together we halve poverty by 2035." in text
    assert "Leadership roundtable" in text
    with scopes_disabled():
        assert PlanVersion.objects.get(pk=draft.pk).is_adopted
