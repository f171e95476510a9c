"""An admin invites a partner user from the partner's page; the invitee signs up with a
name and lands on what their partner owes; the admin is told. A roundtable member's
comment on a draft reaches the coordinator's notifications (header count and list)."""

import datetime
import re

from django.core import mail
from django_scopes import scopes_disabled
from playwright.sync_api import expect

from backbone.models import Organization, Role
from tests.factories import MembershipFactory, UserFactory
from tests.initiatives.factories import InitiativeFactory, InitiativePartnerFactory
from tests.measures.factories import DataRequestFactory, IndicatorFactory
from tests.plans.factories import draft_of, started_plan
from tests.stakeholders.factories import PartnerFactory

from .steps import sign_up


def invitation_path() -> str:
    for message in reversed(mail.outbox):
        found = re.search(r"https?://[^/\s]+(/invite/\S+/)", message.body)
        if found:
            return found.group(1)
    raise AssertionError(f"no invitation mail: {[m.subject for m in mail.outbox]}")


def test_a_partner_user_is_invited_from_the_partner_page_and_lands_on_what_it_owes(
    signed_in, new_page, transactional_db
):
    with scopes_disabled():
        org = Organization.objects.create(name="Riverside Collective", slug="riverside")
        initiative = InitiativeFactory(
            organization=org, name="Poverty Reduction", start_date=datetime.date(2025, 1, 15)
        )
        food_bank = PartnerFactory(organization=org, name="Riverside Food Bank")
        InitiativePartnerFactory(initiative=initiative, partner=food_bank)
        indicator = IndicatorFactory(initiative=initiative, name="Households served")
        DataRequestFactory(indicator=indicator, partner=food_bank)
        MembershipFactory(
            user=UserFactory(email="ada@riverside.test", first_name="Ada", last_name="Admin"),
            organization=org,
            role=Role.ADMIN,
        )

    admin = signed_in("ada@riverside.test")
    admin.goto(f"/o/riverside/stakeholders/partners/{food_bank.pk}/")
    admin.get_by_label("Their name").fill("Sam Rivera")
    admin.get_by_label("Their e-mail address").fill("sam@foodbank.test")
    admin.get_by_role("button", name="Send invitation").click()
    expect(
        admin.get_by_text("Invitation sent to sam@foodbank.test, to report for Riverside Food Bank")
    ).to_be_visible()
    assert "You will report for Riverside Food Bank" in mail.outbox[-1].body

    sam = new_page()
    sam.goto(invitation_path())
    sam.get_by_role("link", name="Create an account").click()
    sign_up(sam, "sam@foodbank.test", "Sam", "feeding-riverside-2027", last_name="Rivera")
    sam.get_by_role("button", name="Accept and join").click()
    expect(
        sam.get_by_role("heading", name="Welcome: you report for Riverside Food Bank")
    ).to_be_visible()
    expect(sam.get_by_role("heading", name="What Riverside Food Bank owes")).to_be_visible()
    expect(
        sam.locator("tbody tr", has_text="Households served").first.get_by_role(
            "link", name="Enter values"
        )
    ).to_be_visible()
    expect(sam.get_by_text("Sam Rivera", exact=True)).to_be_visible()  # the header names them

    admin.goto("/o/riverside/")
    bell = admin.locator(".notifications-bell")
    expect(bell).to_contain_text("1")
    bell.click()
    expect(
        admin.get_by_text("Sam Rivera accepted your invitation and joined as Partner")
    ).to_be_visible()


def test_a_roundtable_comment_on_a_draft_reaches_the_coordinators_notifications(
    signed_in, transactional_db
):
    with scopes_disabled():
        org = Organization.objects.create(name="Riverside Collective", slug="riverside")
        version = draft_of(
            started_plan(InitiativeFactory(organization=org, name="Poverty Reduction"))
        )
        MembershipFactory(
            user=UserFactory(email="rita@riverside.test", first_name="Rita", last_name="Round"),
            organization=org,
            role=Role.ROUNDTABLE,
        )
        MembershipFactory(
            user=UserFactory(email="cole@riverside.test"), organization=org, role=Role.COORDINATOR
        )

    rita = signed_in("rita@riverside.test")
    rita.goto(f"/o/riverside/plans/versions/{version.pk}/")
    section = rita.locator("section", has_text="Budget").last
    section.get_by_text("Comment on this section").click()
    section.get_by_label("Your comment").fill("Please show the matching funds.")
    section.get_by_role("button", name="Send comment").click()
    expect(rita.get_by_text("Please show the matching funds.")).to_be_visible()

    cole = signed_in("cole@riverside.test")
    cole.goto("/o/riverside/")
    bell = cole.locator(".notifications-bell")
    expect(bell).to_have_attribute("data-unread", "1")
    expect(bell.locator(".notifications-bell__count")).to_have_text("1")
    bell.click()
    expect(cole.get_by_role("heading", name="Notifications")).to_be_visible()
    note = cole.get_by_role("button", name=re.compile("Rita Round commented on Poverty Reduction"))
    note.click()
    expect(cole).to_have_url(re.compile(rf"/plans/versions/{version.pk}/#comment-budget$"))
    cole.goto("/o/riverside/notifications/")
    expect(cole.locator(".notifications-bell")).to_have_attribute("data-unread", "0")
