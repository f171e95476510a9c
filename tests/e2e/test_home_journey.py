"""Each role's home carries the work along: a partner submits values (one a big jump), the
coordinator's home shows them with the flag, the flagged one is returned with a reason,
the partner's home shows it to fix, they fix it, it is approved with every unflagged value,
and the roundtable member's home shows the new trend."""

from django_scopes import scopes_disabled
from playwright.sync_api import expect

from backbone.models import Role
from tests.factories import MembershipFactory, UserFactory
from tests.stakeholders.factories import PartnerMembershipFactory

from .steps import food_bank_owing_2026_q3


def test_values_travel_from_the_partners_home_to_the_roundtables(signed_in, transactional_db):
    org, food_bank, (hampers, meals) = food_bank_owing_2026_q3("Hampers given", "Meals served")
    with scopes_disabled():
        priya = UserFactory(email="priya@riversidefoodbank.test")
        PartnerMembershipFactory(
            membership=MembershipFactory(user=priya, organization=org, role=Role.PARTNER),
            partner=food_bank,
        )
        for email, role in (
            ("daniel@riverside.test", Role.COORDINATOR),
            ("rosa@riverside.test", Role.ROUNDTABLE),
        ):
            MembershipFactory(user=UserFactory(email=email), organization=org, role=role)

    # The partner's home says what is owed; the form shows last quarter's approved values.
    partner = signed_in("priya@riversidefoodbank.test")
    partner.goto("/o/riverside/")
    owed = partner.locator("#home-owed")
    expect(owed).to_contain_text("Hampers given · 2026-Q3")
    owed.get_by_role("link", name="Hampers given · 2026-Q3").click()
    expect(partner.get_by_role("heading", name="Values for 2026-Q3")).to_be_visible()
    expect(partner.get_by_text("Last approved: 1,000 (2026-Q2)").first).to_be_visible()
    partner.locator(f"#id_v-{hampers.pk}-0").fill("5,000")
    partner.locator(f"#id_c-{hampers.pk}").fill("A new warehouse opened")
    partner.locator(f"#id_v-{meals.pk}-0").fill("1,050")
    partner.get_by_role("button", name="Submit for approval").click()
    partner.get_by_label("I confirm this value (see my comment)").check()
    partner.get_by_role("button", name="Submit for approval").click()
    expect(partner.get_by_text("2 value(s) submitted for approval.")).to_be_visible()

    # The coordinator's home shows them, the big jump flagged; it goes back with a reason.
    boss = signed_in("daniel@riverside.test")
    boss.goto("/o/riverside/")
    waiting = boss.locator("#home-approvals")
    flagged = waiting.locator("li", has_text="Hampers given · 2026-Q3")
    expect(flagged).to_contain_text("Big jump")
    expect(flagged).to_contain_text("5,000")
    expect(waiting.locator("li", has_text="Meals served")).not_to_contain_text("Big jump")
    boss.goto("/o/riverside/measures/approvals/")
    row = boss.locator("tbody tr", has_text="Hampers given")
    expect(row).to_contain_text("+400 %")
    row.get_by_role("checkbox").check()
    boss.get_by_label("Reason, if you return them").fill("Count hampers, not items")
    boss.get_by_role("button", name="Return selected").click()
    expect(boss.get_by_text("1 value(s) returned.")).to_be_visible()

    # The partner's home shows it to fix, with the reason; they fix it.
    partner.goto("/o/riverside/")
    returned = partner.locator("#home-returned")
    expect(returned).to_contain_text("Returned: Count hampers, not items")
    returned.get_by_role("link", name="Hampers given · 2026-Q3").click()
    partner.locator(f"#id_v-{hampers.pk}-0").fill("1,100")
    partner.get_by_role("button", name="Submit for approval").click()
    expect(partner.get_by_text("value(s) submitted for approval.")).to_be_visible()

    # Nothing is flagged now: the coordinator approves every unflagged value at once.
    boss.goto("/o/riverside/")
    boss.locator("#home-approvals").get_by_role("link", name="Open").click()
    boss.get_by_role("link", name="Approve every unflagged value (2)…").click()
    confirmation = boss.get_by_role("region", name="What will happen")
    expect(confirmation).to_contain_text("2 value(s) carry no flag")
    confirmation.get_by_role("button", name="Approve 2 value(s)").click()
    expect(boss.get_by_text("2 value(s) approved.")).to_be_visible()

    # The roundtable member's home shows the new value and its trend.
    rosa = signed_in("rosa@riverside.test")
    rosa.goto("/o/riverside/")
    hampers_row = rosa.locator("#home-indicators li", has_text="Hampers given")
    expect(hampers_row).to_contain_text("1,100 · Improving")
