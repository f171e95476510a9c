"""One story, from the invitation to the roundtable: a coordinator invites a partner's data
person from the partner's page → the invitation reaches a real SMTP server on loopback → the
person opens the link, which names who invites them to report for which partner, and signs up
on a form prefilled with the name and address the coordinator gave → they land on what their
partner owes and submit its value from their home → the coordinator's bell tells them and they
approve it from their home's queue → a roundtable member's home shows the approved figure and
its trend."""

import re
from decimal import Decimal

from django_scopes import scopes_disabled
from playwright.sync_api import expect

from backbone.models import Role
from measures.models import DataPoint
from tests.factories import MembershipFactory, UserFactory

from .steps import food_bank_owing_2026_q3


def test_a_partner_is_invited_reports_is_approved_and_the_roundtable_sees_it(
    signed_in, new_page, transactional_db, smtp_sink
):
    org, food_bank, (hampers,) = food_bank_owing_2026_q3("Hampers given")
    with scopes_disabled():
        maya = UserFactory(email="maya@riverside.test", first_name="Maya", last_name="Chen")
        MembershipFactory(user=maya, organization=org, role=Role.COORDINATOR)
        rosa = UserFactory(email="rosa@riverside.test", first_name="Rosa", last_name="Diaz")
        MembershipFactory(user=rosa, organization=org, role=Role.ROUNDTABLE)

    # The coordinator invites Sam from the food bank's page.
    coordinator = signed_in(maya)
    coordinator.goto(f"/o/riverside/stakeholders/partners/{food_bank.pk}/")
    coordinator.get_by_label("Their name").fill("Sam Rivera")
    coordinator.get_by_label("Their e-mail address").fill("sam@foodbank.test")
    coordinator.get_by_role("button", name="Send invitation").click()
    expect(
        coordinator.get_by_text(
            "Invitation sent to sam@foodbank.test, to report for Riverside Food Bank"
        )
    ).to_be_visible()

    # The mail reached the SMTP server; its link is on the site the coordinator uses.
    (invitation,) = smtp_sink.to("sam@foodbank.test")
    text = invitation.message.get_body(("plain",)).get_content()
    assert "Riverside Collective" in invitation.message["From"]
    link = re.search(r"(https?://\S+)(/invite/\S+/)", text)
    assert link, text
    assert link.group(1) == coordinator.evaluate("location.origin")

    # Sam opens it: who invites them, to report for whom; the sign-up is prefilled.
    sam = new_page()
    sam.goto(link.group(2))
    welcome = "Maya Chen of Riverside Collective invites you to report for Riverside Food Bank."
    expect(sam.get_by_text(welcome)).to_be_visible()
    sam.get_by_role("link", name="Create an account").click()
    expect(sam.get_by_text(welcome)).to_be_visible()
    expect(sam.get_by_label("Email")).to_have_value("sam@foodbank.test")
    expect(sam.get_by_label("First name")).to_have_value("Sam")
    expect(sam.get_by_label("Last name")).to_have_value("Rivera")
    sam.get_by_label("Password", exact=True).fill("feeding-riverside-2027")
    sam.get_by_label("Password (again)").fill("feeding-riverside-2027")
    sam.get_by_role("button", name="Sign Up").click()
    sam.get_by_role("button", name="Accept and join").click()

    # They land on what their partner owes, and enter it from their home.
    expect(sam.get_by_role("heading", name="What Riverside Food Bank owes")).to_be_visible()
    sam.goto("/o/riverside/")
    owed = sam.locator("#home-owed")
    expect(
        owed.get_by_role("link", name="Upload a CSV of values for Food Security")
    ).to_be_visible()
    owed.get_by_role("link", name="Hampers given · 2026-Q3").click()
    expect(sam.get_by_text("Last approved: 1,000 (2026-Q2)").first).to_be_visible()
    sam.locator(f"#id_v-{hampers.pk}-0").fill("1,100")
    sam.get_by_role("button", name="Submit for approval").click()
    expect(sam.get_by_text("1 value(s) submitted for approval.")).to_be_visible()

    # The coordinator's bell says so; they approve it from their home's queue.
    coordinator.goto("/o/riverside/")
    bell = coordinator.locator(".notifications-bell")
    expect(bell).to_have_attribute("data-unread", "2")  # Sam joined; Sam submitted
    bell.click()
    expect(coordinator.get_by_text("Sam Rivera accepted your invitation")).to_be_visible()
    expect(
        coordinator.get_by_text("Riverside Food Bank submitted Hampers given, 2026-Q3")
    ).to_be_visible()
    coordinator.goto("/o/riverside/")
    queue = coordinator.locator("#home-approvals")
    expect(queue.locator("li", has_text="Hampers given · 2026-Q3")).to_contain_text("1,100")
    queue.get_by_role("link", name="Open").click()
    coordinator.get_by_role("link", name="Approve the 1 unflagged value…").click()
    coordinator.get_by_role("button", name="Approve 1 value(s)").click()
    expect(coordinator.get_by_text("1 value(s) approved.")).to_be_visible()

    # The roundtable member's home shows the approved figure and its trend.
    roundtable = signed_in(rosa)
    roundtable.goto("/o/riverside/")
    expect(roundtable.locator("#home-indicators li", has_text="Hampers given")).to_contain_text(
        "1,100 · Improving"
    )
    with scopes_disabled():
        approved = DataPoint.objects.get(indicator=hampers, period="2026-Q3", cell="")
    assert (approved.status, approved.value) == (DataPoint.Status.APPROVED, Decimal("1100"))
