"""A coordinator opens this year's indicator review and walks the indicators in turn:
keeps the first, revises the second (its old definition stays in the history), retires
the third, going back once with Previous."""

import re

from django_scopes import scopes_disabled
from playwright.sync_api import expect

from measures.models import Indicator, IndicatorVerdict
from tests.initiatives.factories import InitiativeFactory
from tests.measures.factories import IndicatorFactory


def answer(page, decision: str) -> None:
    page.get_by_role("group", name="Still relevant?").get_by_label("Yes").check()
    page.get_by_role("group", name="Measuring the right thing?").get_by_label("Partly").check()
    page.get_by_role("group", name="Data quality").get_by_label("Fair").check()
    page.get_by_role("group", name="Decision").get_by_label(decision).check()


def test_a_coordinator_walks_the_indicator_review(signed_in, riverside):
    org, coordinator = riverside
    initiative = InitiativeFactory(organization=org, name="Poverty Reduction Roundtable")
    for name in ("A. Food hampers distributed", "B. Households using the food bank", "C. Flyers"):
        IndicatorFactory(initiative=initiative, name=name, definition=f"The old {name}.")

    page = signed_in(coordinator)
    page.goto(f"/o/riverside/measures/initiatives/{initiative.pk}/")
    page.get_by_role("link", name="Indicator reviews").click()
    page.get_by_role("button", name=re.compile(r"Open the \d{4} review")).click()

    expect(page.get_by_text("Indicator 1 of 3 · 0 decided")).to_be_visible()
    expect(page.get_by_role("heading", name="A. Food hampers distributed")).to_be_visible()
    answer(page, "Keep")
    page.get_by_role("button", name="Record and go to the next").click()

    expect(page.get_by_text("Indicator 2 of 3 · 1 decided")).to_be_visible()
    page.get_by_role("link", name="Previous indicator").click()
    expect(page.get_by_text("Indicator 1 of 3 · 1 decided")).to_be_visible()
    expect(page.get_by_text(re.compile("Keep — decided by"))).to_be_visible()
    page.get_by_role("link", name="Next indicator").click()

    answer(page, "Revise")
    page.get_by_label("New definition (when revising)").fill("Distinct households served.")
    page.get_by_role("button", name="Record and go to the next").click()

    expect(page.get_by_text("Indicator 3 of 3 · 2 decided")).to_be_visible()
    answer(page, "Retire")
    page.get_by_role("button", name="Record the decision").click()
    expect(page.get_by_text("Indicator 3 of 3 · 3 decided")).to_be_visible()
    expect(page.get_by_role("heading", name=re.compile("C. Flyers"))).to_contain_text("Retired")

    page.get_by_role("link", name="B. Households using the food bank").click()  # its step
    page.get_by_role("heading", level=2).get_by_role(
        "link", name="B. Households using the food bank"
    ).click()  # its indicator page
    history = page.locator("#definition-history")
    expect(history).to_contain_text("The old B. Households using the food bank.")
    expect(history).to_contain_text("Distinct households served.")

    with scopes_disabled():
        decisions = dict(
            IndicatorVerdict.objects.filter(review__initiative=initiative).values_list(
                "indicator__name", "decision"
            )
        )
        retired = Indicator.objects.get(name="C. Flyers")
    assert decisions == {
        "A. Food hampers distributed": "keep",
        "B. Households using the food bank": "revise",
        "C. Flyers": "retire",
    }
    assert not retired.is_active
