"""A backbone director signs up, creates the organization, invites a coordinator,
who accepts in their own browser and lands on the organization's home page."""

import re

from django.core import mail
from playwright.sync_api import expect

from .steps import sign_up


def last_link(pattern: str) -> str:
    for message in reversed(mail.outbox):
        found = re.search(pattern, message.body)
        if found:
            return found.group(0)
    raise AssertionError(f"no mail with {pattern!r}: {[m.subject for m in mail.outbox]}")


def path_of(url: str) -> str:
    return re.sub(r"^https?://[^/]+", "", url)


def test_sign_up_create_organization_invite_and_accept(new_page, transactional_db):
    director = new_page()
    director.goto("/")
    director.get_by_role("link", name="Create your backbone's workspace").click()
    sign_up(director, "director@lakeside.test", "Dana", "lakeside-early-years-2027", "Lake")
    expect(director.get_by_role("heading", name="Verify Your Email Address")).to_be_visible()

    director.goto(path_of(last_link(r"http://\S+/accounts/confirm-email/\S+/")))
    director.get_by_role("button", name="Confirm").click()
    expect(director.get_by_text("You don't belong to an organization yet.")).to_be_visible()

    director.get_by_role("link", name="Create an organization").click()
    director.get_by_label("Name").fill("Lakeside Early Years")
    director.get_by_label("Web address").fill("lakeside")
    director.get_by_label("Time zone").select_option("America/Winnipeg")
    director.get_by_role("button", name="Create organization").click()
    expect(director.get_by_role("heading", name="Lakeside Early Years")).to_be_visible()
    expect(director).to_have_url(re.compile(r"/o/lakeside/$"))

    director.get_by_role("link", name="Invite people").click()
    director.get_by_label("E-mail address").fill("coordinator@lakeside.test")
    director.get_by_label("Role", exact=True).select_option("coordinator")
    director.get_by_role("button", name="Send invitation").click()
    expect(director.get_by_text("Invitation sent to coordinator@lakeside.test")).to_be_visible()

    invitation = path_of(last_link(r"http://\S+/invite/\S+/"))
    coordinator = new_page()
    coordinator.goto(invitation)
    expect(coordinator.get_by_role("heading", name="Join Lakeside Early Years")).to_be_visible()
    coordinator.get_by_role("link", name="Create an account").click()
    sign_up(coordinator, "coordinator@lakeside.test", "Cory", "coordinating-the-table")
    coordinator.get_by_role("button", name="Accept and join").click()
    expect(coordinator.get_by_role("heading", name="Lakeside Early Years")).to_be_visible()
    expect(coordinator.get_by_text("You are Coordinator here.")).to_be_visible()

    director.goto("/o/lakeside/members/")
    row = director.locator("tbody tr", has_text="Cory")
    expect(row).to_have_count(1)
    expect(row.get_by_role("combobox")).to_have_value("coordinator")
    expect(director.get_by_text("No invitations waiting.")).to_be_visible()
