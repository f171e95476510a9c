"""A coordinator reviews this week's newsletter, adds a note, sends it, and the
mail reaches the (real, loopback) SMTP server."""

import re

from django_scopes import scopes_disabled
from playwright.sync_api import expect

from backbone.models import Role

from ..factories import MembershipFactory, OrganizationFactory, UserFactory
from ..plans.factories import ConsentingContactFactory
from ..stakeholders.factories import ContactFactory, PartnerFactory


def test_review_and_send_the_weekly_newsletter(signed_in, transactional_db, smtp_sink):
    org = OrganizationFactory(name="Riverside Collective", slug="riverside")
    coordinator = UserFactory(email="daniel@riverside.test")
    MembershipFactory(user=coordinator, organization=org, role=Role.COORDINATOR)
    PartnerFactory(organization=org, name="Riverside Credit Union")
    ConsentingContactFactory(organization=org, email="maria@example.org", first_name="Maria")
    ConsentingContactFactory(organization=org, email="tom@example.org", first_name="Tom")
    ContactFactory(organization=org, email="no-consent@example.org")

    page = signed_in("daniel@riverside.test")

    page.get_by_role("link", name="Newsletter", exact=True).click()
    page.get_by_role("button", name="Draft an issue now").click()
    expect(page.get_by_label("Title").first).to_have_value("Welcome, Riverside Credit Union")
    expect(page.get_by_role("status").filter(has_text="will receive it")).to_contain_text(
        "2 people will receive it"
    )
    expect(page.get_by_role("status").filter(has_text="will receive it")).to_contain_text(
        "1 left out"
    )

    page.get_by_label("Introduction").fill(
        "Thank you to the **300 residents** who joined a community conversation."
    )
    page.get_by_role("button", name="Save", exact=True).click()

    page.get_by_text("Add a note").click()
    page.locator("#id_note-title").fill("Listening team meets Thursday")
    page.locator("#id_note-body").fill("Everyone with lived experience of poverty is welcome.")
    page.get_by_role("button", name="Add note").click()
    expect(page.get_by_text("Item added.")).to_be_visible()

    # Put the note first.
    page.get_by_role("button", name="Move “Listening team meets Thursday” up").click()
    expect(page.get_by_label("Title").first).to_have_value("Listening team meets Thursday")

    # Sending mails everyone at once: a confirmation says to how many first.
    page.get_by_role("link", name="Send now").click()
    expect(page.get_by_text("e-mailed to 2 people at once")).to_be_visible()
    page.get_by_role("button", name="Send now").click()
    expect(page.get_by_text("Sending to 2 people.")).to_be_visible()
    page.reload()
    expect(page.locator(".badge").first).to_have_text("Sent")

    assert sorted(r for m in smtp_sink.received for r in m.recipients) == [
        "maria@example.org",
        "tom@example.org",
    ]
    [mail] = smtp_sink.to("maria@example.org")
    html = mail.message.get_body(("html",)).get_content()
    assert "<strong>300 residents</strong>" in html
    assert html.index("Listening team meets Thursday") < html.index(
        "Welcome, Riverside Credit Union"
    )
    assert re.search(r"/n/u/[^\"]+/", html)
    with scopes_disabled():
        assert not smtp_sink.to("no-consent@example.org")
