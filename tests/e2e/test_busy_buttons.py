"""Buttons that start work show that they are busy and cannot be pressed twice: an htmx form
through `hx-disabled-elt`, a plain form through static/js/backbone.js."""

import re

from tests import test_isolation as isolation
from tests.initiatives.factories import InitiativeFactory


def held_posts(page, pattern: str) -> list:
    """Hold every POST to `pattern` (as a slow server would) until the test lets it go with
    `route.continue_()`; returns the list the held requests are put in."""
    held: list = []
    page.route(
        pattern,
        lambda route: held.append(route) if route.request.method == "POST" else route.continue_(),
    )
    return held


def test_a_plain_form_is_sent_once_and_shows_it_is_busy(world, signed_in):
    from playwright.sync_api import expect

    initiative = InitiativeFactory(organization=world.org, name="Early Years")
    page = signed_in(world.coordinator)
    page.goto(f"/o/riverside/initiatives/{initiative.pk}/")
    # The server answers "204 No Content": the browser stays on the page, as while it waits.
    posted: list[str] = []
    page.route(
        "**/archive/",
        lambda route: (posted.append(route.request.method), route.fulfill(status=204)),
    )
    archive = page.get_by_role("button", name="Archive")
    archive.click()
    expect(archive).to_be_disabled()
    expect(archive).to_have_class("button button--small button--secondary is-busy")
    archive.click(force=True)  # a second press sends nothing
    page.wait_for_timeout(300)
    assert posted == ["POST"]


def test_prepare_pdf_is_busy_while_it_asks_and_is_asked_once(world, signed_in):
    from playwright.sync_api import expect

    version_id = isolation.OBJECT_MAKERS["version_id"](world.org)
    page = signed_in(world.coordinator)
    page.goto(f"/o/riverside/plans/versions/{version_id}/")
    held = held_posts(page, "**/pdf/")
    prepare = page.get_by_role("button", name="Prepare PDF")
    prepare.click()
    expect(prepare).to_be_disabled()
    expect(page.locator("form", has=prepare)).to_have_class(re.compile(r"\bhtmx-request\b"))
    prepare.click(force=True, no_wait_after=True)
    page.wait_for_timeout(300)
    assert len(held) == 1, held
    held[0].continue_()
    expect(page.get_by_role("button", name="Prepare PDF")).to_have_count(0)
    assert len(held) == 1
