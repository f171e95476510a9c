"""A coordinator of a long registry writes a data-sharing agreement: they find two parties
and a covered indicator by typing (htmx searches as they type, the indicator search keeps
to the initiative chosen above), tick them, and save."""

import datetime

from django_scopes import scope
from playwright.sync_api import expect

from measures.models import Agreement, Indicator
from stakeholders import pickers
from stakeholders.models import Partner, Sector


def test_coordinator_picks_two_parties_and_an_indicator(signed_in, riverside, monkeypatch):
    # The live server runs in this process: a low limit makes these registries "long".
    monkeypatch.setattr(pickers, "PICKER_LIMIT", 3)
    org = riverside.organization
    ready = riverside.start_initiative(
        "Ready by Five", "Children start school ready to learn", datetime.date(2027, 1, 15)
    )
    other = riverside.start_initiative(
        "Warm Homes", "Every home warm in winter", datetime.date(2027, 1, 15)
    )
    with scope(organization=org):
        for name in ["Riverside Food Bank", "Riverside Library", "Eastside Clinic", "Hope House"]:
            Partner.objects.create(organization=org, name=name, sector=Sector.NON_PROFIT)
        for initiative, name in [
            (ready, "Children read to daily"),
            (ready, "Children in licensed care"),
            (other, "Children in warm homes"),
            (other, "Homes insulated"),
        ]:
            Indicator.objects.create(
                organization=org, initiative=initiative, name=name, definition="d", unit="number"
            )

    page = signed_in(riverside.coordinator)
    page.goto("/o/riverside/measures/agreements/new/")
    page.get_by_label("Initiative").select_option(label="Ready by Five")
    page.get_by_label("Kind").select_option(value="data_sharing")
    page.get_by_label("Title", exact=True).fill("Early years data sharing")
    parties = page.get_by_label("Add a partner")
    expect(parties).to_have_attribute("type", "search")  # no option list
    parties.press_sequentially("riverside")
    page.get_by_role("checkbox", name="Riverside Library").check()
    parties.fill("")
    parties.press_sequentially("hope")
    expect(page.get_by_role("checkbox", name="Riverside Food Bank")).to_have_count(0)
    # The partner ticked before this search stays ticked.
    expect(page.get_by_role("checkbox", name="Riverside Library")).to_be_checked()
    page.get_by_role("checkbox", name="Hope House").check()
    indicators = page.get_by_label("Add an indicator")
    indicators.press_sequentially("children")
    expect(
        page.get_by_role("checkbox", name="Children read to daily (Ready by Five)")
    ).to_be_visible()
    # Narrowed to the initiative chosen above.
    expect(page.get_by_role("checkbox", name="Children in warm homes (Warm Homes)")).to_have_count(
        0
    )
    page.get_by_role("checkbox", name="Children read to daily (Ready by Five)").check()
    page.get_by_role("button", name="Add the agreement").click()
    expect(page.get_by_role("heading", name="Early years data sharing")).to_be_visible()
    with scope(organization=org):
        agreement = Agreement.objects.get(title="Early years data sharing")
        assert sorted(p.name for p in agreement.parties.all()) == [
            "Hope House",
            "Riverside Library",
        ]
        assert [i.name for i in agreement.indicators.all()] == ["Children read to daily"]
