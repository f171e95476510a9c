"""A coordinator publishes the initiative's community scorecard; an anonymous visitor
opens it, then one of its charts, embedded in another site's page by its snippet."""

import re
from decimal import Decimal

from playwright.sync_api import expect

from tests.initiatives.factories import InitiativeFactory
from tests.measures.factories import DataPointFactory, IndicatorFactory


def test_staff_publish_a_scorecard_and_anyone_opens_it_and_its_embed(
    signed_in, new_page, riverside
):
    org, coordinator = riverside
    initiative = InitiativeFactory(organization=org, name="Poverty Reduction Roundtable")
    indicator = IndicatorFactory(
        initiative=initiative, name="Children ready for school", level="population"
    )
    DataPointFactory(indicator=indicator, period="2026-Q1", value=Decimal("64"), status="approved")
    DataPointFactory(indicator=indicator, period="2026-Q2", value=Decimal("9191"))  # submitted

    page = signed_in(coordinator)
    page.goto(f"/o/riverside/plans/initiatives/{initiative.pk}/report-cards/")
    page.get_by_role("link", name="Public community scorecard").click()
    page.get_by_role("button", name="Publish the scorecard").click()
    expect(page.get_by_text("The scorecard is public")).to_be_visible()
    address = page.get_by_label("Its address").input_value()
    snippet = page.get_by_label("Snippet to embed").input_value()
    assert snippet.startswith("<iframe src=") and "/charts/" in snippet

    visitor = new_page()
    visitor.goto(re.sub(r"^https?://[^/]+", "", address))
    expect(visitor.get_by_role("heading", name="Poverty Reduction Roundtable")).to_be_visible()
    expect(visitor.get_by_role("heading", name="Children ready for school")).to_be_visible()
    assert "9191" not in visitor.content()
    visitor.get_by_role("link", name=re.compile("Chart of Children ready for school")).click()
    expect(visitor.locator("svg[role=img]")).to_be_visible()

    # Another web page embeds the chart with the snippet staff copied (a page served over
    # http, as a partner's site is: "frame-ancestors *" admits network schemes only).
    site = new_page()
    site.goto("/accounts/login/")
    site.evaluate("html => document.body.insertAdjacentHTML('beforeend', html)", snippet)
    frame = site.frame_locator("iframe")
    expect(frame.get_by_role("heading", name="Children ready for school")).to_be_visible()
    expect(frame.locator("svg circle.point")).to_have_count(1)
