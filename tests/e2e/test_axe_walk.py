"""axe-core (the copy `axe-playwright-python` bundles, injected through Playwright, no CDN)
audits every page of the isolation walk in Chromium, as an admin and as a partner, and
fails on any serious or critical violation of a WCAG 2.0, 2.1 or 2.2 A or AA rule. One
browser, one signed-in context per role; the page's Content-Security-Policy stays on
(`new_page` fails the test if it had to block anything)."""

import time

from axe_playwright_python.sync_playwright import Axe
from django.test import Client

from ..page_walk import WALK_ROLES, html_pages, public_pages

WCAG_A_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
# label-content-name-mismatch (WCAG 2.5.3, level A) is still "experimental" in axe, so off
# unless asked for by name.
OPTIONS = {
    "runOnly": {"type": "tag", "values": WCAG_A_AA},
    "rules": {"label-content-name-mismatch": {"enabled": True}},
    "resultTypes": ["violations"],
}
BLOCKING = {"serious", "critical"}
# Rules that may stay, each with its reason. None remain.
EXCEPTIONS: dict[str, str] = {}


def serious_violations(axe: Axe, page) -> list[str]:
    results = axe.run(page, options=OPTIONS).response
    return [
        f"{violation['id']} ({violation['impact']}): {violation['help']} — "
        + "; ".join(node["target"][0] if node["target"] else "?" for node in violation["nodes"][:3])
        for violation in results["violations"]
        if violation["impact"] in BLOCKING and violation["id"] not in EXCEPTIONS
    ]


def test_axe_finds_no_serious_wcag_violation_on_any_page_as_any_role(
    transactional_db, world, login, signed_in, new_page
):
    started = time.monotonic()
    pages = list(html_pages(world, login))
    axe = Axe()
    found: dict[str, list[str]] = {}
    audited = 0
    for role in WALK_ROLES:
        browser_page = signed_in(getattr(world, role))
        for walked in (p for p in pages if p.role == role):
            response = browser_page.goto(walked.url)
            assert response.ok, (walked.url, response.status)
            if problems := serious_violations(axe, browser_page):
                found[f"{role} {walked.url} ({walked.name})"] = problems
            audited += 1
    anonymous = new_page()
    for walked in public_pages(world, Client()):
        assert anonymous.goto(walked.url).ok, walked.url
        if problems := serious_violations(axe, anonymous):
            found[f"anonymous {walked.url} ({walked.name})"] = problems
        audited += 1
    assert audited >= 60, audited
    assert not found, "\n".join(f"{page}:\n  " + "\n  ".join(p) for page, p in found.items())
    print(f"axe audited {audited} pages in {time.monotonic() - started:.0f} s")


def test_axe_reports_a_serious_violation(new_page):
    page = new_page()
    page.set_content(
        '<html lang="en"><head><title>t</title></head><body><main>'
        '<button aria-label="Switch">Riverside Collective</button><input type="text">'
        "</main></body></html>"
    )
    problems = serious_violations(Axe(), page)
    assert {p.split()[0] for p in problems} >= {"label", "label-content-name-mismatch"}, problems
