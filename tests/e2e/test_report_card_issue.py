"""A coordinator drafts a report card, writes its narrative, issues it, downloads its PDF
and publishes it at a public link that an anonymous funder opens."""

import re
from decimal import Decimal

from django_scopes import scopes_disabled
from playwright.sync_api import expect
from pypdf import PdfReader

from plans.models import ReportCard
from tests.initiatives.factories import InitiativeFactory
from tests.measures.factories import DataPointFactory, IndicatorFactory


def test_coordinator_issues_a_report_card_and_downloads_its_pdf(
    signed_in, new_page, riverside, tmp_path
):
    org, coordinator = riverside
    initiative = InitiativeFactory(organization=org, name="Poverty Reduction Roundtable")
    indicator = IndicatorFactory(
        initiative=initiative, name="Food hampers distributed", frequency="quarterly"
    )
    for period, value in (("2026-Q1", "9340"), ("2026-Q2", "9460")):
        DataPointFactory(
            indicator=indicator, period=period, value=Decimal(value), status="approved"
        )

    page = signed_in(coordinator)

    page.goto("/o/riverside/plans/")
    page.get_by_role("link", name="Report cards").click()
    page.get_by_label("Period").fill("2026-H1")
    page.get_by_role("button", name="Draft report card").click()
    expect(
        page.get_by_role("heading", name=re.compile("Six-month report card 2026-H1"))
    ).to_be_visible()
    page.get_by_label("Narrative").fill("Hampers are up: **more families** got food this spring.")
    page.get_by_role("button", name="Save narrative").click()
    expect(page.get_by_text("Narrative saved.")).to_be_visible()

    page.get_by_role("button", name="Issue this report card").click()
    expect(page.get_by_text("The report card for 2026-H1 is issued")).to_be_visible()
    expect(page.get_by_role("button", name="Issue this report card")).to_have_count(0)
    download_link = page.get_by_role("link", name="Download PDF")
    # The PDF is rendered by a job: give a loaded machine time.
    expect(download_link).to_be_visible(timeout=30_000)
    with page.expect_download() as info:
        download_link.click()
    download = info.value
    assert download.suggested_filename == "Poverty Reduction Roundtable - report card 2026-H1.pdf"
    path = tmp_path / "card.pdf"
    download.save_as(path)
    text = "\n".join(p.extract_text() for p in PdfReader(path).pages)
    assert "Poverty Reduction Roundtable" in text and "9,460" in text
    assert "more families" in text

    page.get_by_role("button", name="Publish at a public link").click()
    public_url = page.get_by_label("Public link").input_value()
    funder = new_page()
    funder.goto(re.sub(r"^https?://[^/]+", "", public_url))
    expect(funder.get_by_role("heading", name="Poverty Reduction Roundtable")).to_be_visible()
    expect(funder.get_by_text("Hampers are up:")).to_be_visible()
    with scopes_disabled():
        assert ReportCard.objects.get().is_issued
