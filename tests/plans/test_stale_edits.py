"""Stale saves of a newsletter's settings, its items (without JavaScript) and a report
card's narrative are refused: see `tests/backbone/stale_saves.py` for what each checks."""

import pytest

from ..backbone.stale_saves import EditCase, check_stale_save_refused
from ..initiatives.factories import InitiativeFactory
from .factories import NewsletterFactory, NewsletterItemFactory, ReportCardFactory, ReviewFactory


def newsletter_case(world):
    newsletter = NewsletterFactory(organization=world.org)
    url = f"/o/riverside/newsletters/{newsletter.pk}/"
    fields = {"subject": newsletter.subject}
    return EditCase(newsletter, url, url, "introduction", "Their intro", "My intro", fields)


def newsletter_item_case(world):
    item = NewsletterItemFactory(newsletter__organization=world.org)
    page = f"/o/riverside/newsletters/{item.newsletter_id}/"
    action = f"{page}items/{item.pk}/"
    fields = {"title": item.title, "included": "on"}
    prefix = f"item-{item.pk}-"
    return EditCase(item, page, action, "body", "Their text", "My text", fields, prefix)


def narrative_case(world):
    card = ReportCardFactory(initiative=InitiativeFactory(organization=world.org))
    page = f"/o/riverside/plans/report-cards/{card.pk}/"
    action = f"{page}narrative/"
    return EditCase(card, page, action, "narrative", "Their story", "My story")


def review_response_case(world):
    review = ReviewFactory(organization=world.org)
    page = f"/o/riverside/reviews/{review.pk}/"
    return EditCase(review, page, f"{page}response/", "response", "Their plan", "My plan")


@pytest.mark.parametrize(
    "make", [newsletter_case, newsletter_item_case, narrative_case, review_response_case]
)
def test_a_stale_save_is_refused_naming_who_and_keeping_the_input(world, login, make):
    check_stale_save_refused(world, login, make(world))
