"""On a phone (360 x 740) no page of an organization scrolls sideways, for the coordinator
and for a partner user. The pages are the ones the isolation test walks (its URL discovery
and object makers): a new page joins this walk by itself."""

import pytest
from django.test import Client
from django_scopes import scope

from stakeholders.models import Partner
from stakeholders.services import partner_user_link
from tests import test_isolation as isolation
from tests.initiatives.factories import RiskFactory

PHONE = {"width": 360, "height": 740}

# When the document is wider than the window, name the element reaching furthest right,
# looking through everything that is not itself clipped by a scrolling or hidden box.
WIDEST_ELEMENT = """() => {
  const root = document.documentElement;
  if (root.scrollWidth <= root.clientWidth) return null;
  let widest = null, right = -1;
  const range = document.createRange();
  // Inside a box that clips (overflow other than visible), only what escapes it counts: an
  // absolutely placed element whose containing block lies outside the clipping box.
  const visit = (element, clipper) => {
    const box = element.getBoundingClientRect();
    const escapes = !clipper || (["absolute", "fixed"].includes(getComputedStyle(element).position)
      && !(element.offsetParent && clipper.contains(element.offsetParent)));
    if (escapes && box.width > 0 && box.right > right + 0.5) { right = box.right; widest = element; }
    const clips = clipper || (getComputedStyle(element).overflowX !== "visible" ? element : null);
    for (const child of element.childNodes) {
      if (child.nodeType === Node.ELEMENT_NODE) visit(child, clips);
      else if (!clips && child.nodeType === Node.TEXT_NODE && child.textContent.trim()) {
        range.selectNodeContents(child);  // text overflowing its element names the element
        const text = range.getBoundingClientRect();
        if (text.right > right + 0.5) { right = text.right; widest = element; }
      }
    }
  };
  for (const child of document.body.children) visit(child, null);
  const name = (el) => el.tagName.toLowerCase() + (el.id ? "#" + el.id : "")
    + [...el.classList].map((c) => "." + c).join("");
  const path = [];
  for (let el = widest; el && el !== document.body; el = el.parentElement) path.unshift(name(el));
  return {width: root.scrollWidth, window: root.clientWidth,
          element: path.join(" > "), right: Math.round(right)};
}"""


def html_pages(client: Client, urls: list[str]) -> list[str]:
    """The URLs among `urls` that answer this client with a page (not a redirect, a 404,
    a 405 for POST-only URLs, or a download)."""
    pages = []
    for url in urls:
        response = client.get(url)
        if response.status_code == 200 and response["Content-Type"].startswith("text/html"):
            pages.append(url)
    return pages


def overflowing(page, urls: list[str]) -> list[str]:
    found = []
    for url in urls:
        page.goto(url)
        widest = page.evaluate(WIDEST_ELEMENT)
        if widest:
            found.append(
                f"{url}: document {widest['width']} px in a {widest['window']} px window; "
                f"widest: {widest['element']} (right edge at {widest['right']} px)"
            )
    return found


@pytest.mark.parametrize("role", ["coordinator", "partner"])
def test_no_page_scrolls_sideways_on_a_phone(world, signed_in, login, role):
    user = world.member(role)
    with scope(organization=world.org):
        partner = Partner.objects.create(organization=world.org, name="Riverside Food Bank")
        partner_user_link(partner=partner, membership=world.membership(world.partner))
    urls = [
        isolation.fill(name, kwargs, slug_of=world.org, objects_of=world.org)
        for name, kwargs in isolation.URLS
    ]
    pages = html_pages(login(user), urls)
    assert len(pages) > (40 if role == "coordinator" else 5), pages

    page = signed_in(user)
    page.set_viewport_size(PHONE)
    problems = overflowing(page, pages)
    assert not problems, "\n".join(problems)


def test_on_a_phone_the_header_folds_into_a_menu_and_rows_stack(world, signed_in):
    from playwright.sync_api import expect

    risk = RiskFactory(initiative__organization=world.org, description="Funders pull back")
    page = signed_in(world.coordinator)
    page.set_viewport_size(PHONE)
    page.goto(f"/o/riverside/initiatives/{risk.initiative_id}/risks/")

    nav = page.get_by_role("navigation", name="Organization")
    menu = page.get_by_text("Menu", exact=True)
    expect(nav).to_be_hidden()
    menu.focus()  # a keyboard reaches the disclosure and opens it
    page.keyboard.press("Enter")
    expect(nav.get_by_role("link", name="Stakeholders")).to_be_visible()
    page.keyboard.press("Enter")
    expect(nav).to_be_hidden()

    # The risk's row is a stack: its actions come first, each value says which column it is.
    row = page.locator(f"#row-{risk.pk}")
    edit = row.get_by_role("link", name="Edit")
    name = row.get_by_role("rowheader", name="Funders pull back")
    assert edit.bounding_box()["y"] < name.bounding_box()["y"]
    expect(row.locator('td[data-label="Likelihood"]')).to_be_visible()
    assert row.bounding_box()["width"] <= PHONE["width"]

    page.set_viewport_size({"width": 1280, "height": 800})
    expect(menu).to_be_hidden()
    expect(nav.get_by_role("link", name="Stakeholders")).to_be_visible()
    assert edit.bounding_box()["y"] >= name.bounding_box()["y"] - 1  # one line again: a table
