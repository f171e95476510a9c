"""Browser tests: Playwright for Python driving Debian's Chromium (never a downloaded browser)."""

import datetime
import os
import re
from pathlib import Path
from typing import NamedTuple

import pytest
from django_scopes import scope

from backbone.models import Organization, Role, User
from initiatives.models import Initiative
from initiatives.services.initiative import initiative_create
from stakeholders.models import Contact
from tests.factories import PASSWORD, MembershipFactory, OrganizationFactory, UserFactory

# Playwright's sync API runs an event loop in this thread; the test's own ORM
# calls are still synchronous and safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
# How long a step may wait for the page (ms): raise it on a crowded machine.
E2E_TIMEOUT_MS = int(os.environ.get("E2E_TIMEOUT_MS") or 10_000)


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/e2e/" in str(item.fspath):
            item.add_marker(pytest.mark.e2e)


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        if os.environ.get("CI"):
            pytest.fail(f"Chromium is missing at {CHROMIUM}; .ci/run installs Debian's chromium")
        pytest.skip(f"no Chromium at {CHROMIUM} (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM)
        yield browser
        browser.close()


@pytest.fixture
def new_page(browser, live_server):
    """`new_page()` opens a page in a fresh browser context (its own cookies). Whatever the
    journey, the Content-Security-Policy must never have to block anything on the way."""
    contexts = []
    blocked: list[str] = []

    def make():
        context = browser.new_context(
            base_url=live_server.url, viewport={"width": 1200, "height": 900}
        )
        context.set_default_timeout(E2E_TIMEOUT_MS)
        contexts.append(context)
        page = context.new_page()
        page.on(
            "console",
            lambda message: (
                blocked.append(message.text) if "Content Security Policy" in message.text else None
            ),
        )
        return page

    yield make
    for context in contexts:
        context.close()
    assert not blocked, blocked


@pytest.fixture
def signed_in(new_page):
    """`signed_in(user)` (a User or an e-mail address) opens a page in a fresh browser context,
    signs in through the sign-in form and returns the page where the sign-in lands."""
    # Imported here like sync_playwright above: the e2e tests only load Playwright when they run.
    from playwright.sync_api import expect

    def sign_in(user, password: str = PASSWORD):
        email = user if isinstance(user, str) else user.email
        page = new_page()
        page.goto("/accounts/login/")
        page.get_by_label("Email").fill(email)
        page.get_by_label("Password").fill(password)
        page.get_by_role("button", name="Sign In").click()
        expect(page).not_to_have_url(re.compile(r"/accounts/login/"))
        return page

    return sign_in


class Riverside(NamedTuple):
    organization: Organization
    coordinator: User

    def start_initiative(self, name: str, issue: str, start_date: datetime.date) -> Initiative:
        """A new initiative of Riverside's, started the way the app starts one."""
        with scope(organization=self.organization):
            return initiative_create(
                organization=self.organization, name=name, issue=issue, start_date=start_date
            )

    def add_contact(self, first_name: str, last_name: str, sector: str) -> Contact:
        """A person in Riverside's registry."""
        with scope(organization=self.organization):
            return Contact.objects.create(
                organization=self.organization,
                first_name=first_name,
                last_name=last_name,
                sector=sector,
            )


@pytest.fixture
def riverside(transactional_db) -> Riverside:
    """The organization most browser stories happen in: Riverside Collective (`/o/riverside/`)
    and its coordinator, coordinator@riverside.test."""
    organization = OrganizationFactory(name="Riverside Collective", slug="riverside")
    coordinator = UserFactory(email="coordinator@riverside.test")
    MembershipFactory(user=coordinator, organization=organization, role=Role.COORDINATOR)
    return Riverside(organization, coordinator)
