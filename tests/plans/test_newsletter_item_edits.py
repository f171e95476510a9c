"""A newsletter item edited without JavaScript: an invalid or refused save shows the page
again with what was typed, instead of losing it behind a redirect."""

import re

from django_scopes import scope

from .factories import NewsletterItemFactory


def test_an_invalid_item_save_without_htmx_keeps_what_was_typed(world, login):
    item = NewsletterItemFactory(newsletter__organization=world.org, title="Kept title")
    page = f"/o/riverside/newsletters/{item.newsletter_id}/"
    client = login(world.coordinator)
    seen = re.search(rf'name="item-{item.pk}-seen" value="([0-9a-f]+)"', client.get(page).text)

    response = client.post(
        f"{page}items/{item.pk}/",
        {
            f"item-{item.pk}-seen": seen.group(1),
            f"item-{item.pk}-title": "",  # required: refused
            f"item-{item.pk}-body": "Half an hour of my typing",
            f"item-{item.pk}-url": "not a link",
        },
    )

    assert response.status_code == 422
    text = response.text
    assert ">Half an hour of my typing</textarea>" in text
    assert f'name="item-{item.pk}-url" type="url" value="not a link"' in text
    assert 'role="alert"' in text
    # The item is not included any more in what was typed (the box was left unticked).
    assert not re.search(rf'name="item-{item.pk}-included" checked', text)
    # The same fingerprint goes back, so a corrected save is not taken for a stale one.
    assert f'name="item-{item.pk}-seen" value="{seen.group(1)}"' in text
    with scope(organization=world.org):
        item.refresh_from_db()
    assert item.title == "Kept title"
    assert item.body != "Half an hour of my typing"


def test_a_valid_item_save_without_htmx_goes_back_to_the_issue(world, login):
    item = NewsletterItemFactory(newsletter__organization=world.org)
    page = f"/o/riverside/newsletters/{item.newsletter_id}/"
    client = login(world.coordinator)
    seen = re.search(rf'name="item-{item.pk}-seen" value="([0-9a-f]+)"', client.get(page).text)
    data = {
        f"item-{item.pk}-seen": seen.group(1),
        f"item-{item.pk}-title": "New title",
        f"item-{item.pk}-included": "on",
    }
    response = client.post(f"{page}items/{item.pk}/", data)
    assert response.status_code == 302
    with scope(organization=world.org):
        item.refresh_from_db()
    assert item.title == "New title"
