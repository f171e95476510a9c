"""A partner fills in a quarter's values and submits them; the coordinator approves them
from the queue; the approved value then shows on the indicator's page."""

import datetime

from django_scopes import scopes_disabled
from playwright.sync_api import expect

from backbone.models import Organization, Role
from tests.factories import MembershipFactory, UserFactory
from tests.initiatives.factories import InitiativeFactory, InitiativePartnerFactory
from tests.measures.factories import DataRequestFactory, IndicatorFactory
from tests.stakeholders.factories import PartnerFactory, PartnerMembershipFactory


def test_partner_submits_a_period_and_coordinator_approves_it(signed_in, transactional_db):
    with scopes_disabled():
        org = Organization.objects.create(name="Riverside Collective", slug="riverside")
        initiative = InitiativeFactory(
            organization=org,
            name="Poverty Reduction Roundtable",
            start_date=datetime.date(2025, 1, 15),
        )
        food_bank = PartnerFactory(organization=org, name="Riverside Food Bank")
        InitiativePartnerFactory(initiative=initiative, partner=food_bank)
        indicator = IndicatorFactory(
            initiative=initiative, name="Households using the food bank each month"
        )
        DataRequestFactory(indicator=indicator, partner=food_bank)
        partner_user = UserFactory(email="priya@riversidefoodbank.test")
        PartnerMembershipFactory(
            membership=MembershipFactory(user=partner_user, organization=org, role=Role.PARTNER),
            partner=food_bank,
        )
        coordinator = UserFactory(email="daniel@riverside.test")
        MembershipFactory(user=coordinator, organization=org, role=Role.COORDINATOR)

    partner = signed_in("priya@riversidefoodbank.test")
    partner.goto("/o/riverside/measures/")
    expect(partner.get_by_role("heading", name="What Riverside Food Bank owes")).to_be_visible()
    row = partner.locator("tbody tr", has_text="2025-Q1")
    row.get_by_role("link", name="Enter values").click()
    expect(partner.get_by_role("heading", name="Values for 2025-Q1")).to_be_visible()
    # The heading shows as the HTML arrives; htmx wires the fields up once it has loaded.
    partner.wait_for_load_state("load")
    partner.get_by_label("Total").fill("about 3400")
    expect(partner.get_by_text("Enter a number")).to_be_visible()  # checked as they type
    partner.get_by_label("Total").fill("3,412")
    partner.get_by_role("button", name="Submit for approval").click()
    expect(partner.get_by_text("1 value(s) submitted for approval.")).to_be_visible()

    boss = signed_in("daniel@riverside.test")
    boss.goto("/o/riverside/measures/approvals/")
    queued = boss.locator("tbody tr", has_text="Households using the food bank each month")
    expect(queued).to_contain_text("3,412")
    expect(queued.get_by_role("checkbox")).not_to_be_checked()  # nothing is preselected
    queued.get_by_role("checkbox").check()
    boss.get_by_role("button", name="Approve selected").click()
    expect(boss.get_by_text("1 value(s) approved.")).to_be_visible()
    expect(boss.get_by_text("Nothing waits for approval.")).to_be_visible()

    boss.goto(f"/o/riverside/measures/indicators/{indicator.pk}/")
    approved = boss.get_by_role("table", name="Approved values")
    expect(approved).to_contain_text("2025-Q1")
    expect(approved).to_contain_text("3,412")
    expect(boss.locator("svg circle[data-period='2025-Q1']")).to_have_count(1)
