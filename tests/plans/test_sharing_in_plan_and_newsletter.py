"""The plan and the newsletter show a partner's own values only where a data-sharing
agreement allows publishing them (`measures.sharing`), the aggregate otherwise."""

import datetime

import pytest
from django_scopes import scope

from measures.services import data_points_approve
from plans.models import NewsletterItem
from plans.sections import render_sections
from plans.selectors.plan import version_content
from plans.services.newsletter import newsletter_draft_weekly

from ..measures.factories import two_reporting_partners
from .factories import draft_of, started_plan

HIDDEN = "Values per partner are hidden: no data-sharing agreement allows publishing them."


@pytest.fixture
def two_partners(world, initiative):
    indicator, points, _partners = two_reporting_partners(
        initiative, period="2026-Q2", status="submitted", sharing=True
    )
    return indicator, points


def test_the_plans_now_section_shows_allowed_partners_and_says_why_others_are_hidden(
    world, initiative, two_partners
):
    _indicator, points = two_partners
    with scope(organization=world.org):
        data_points_approve(
            organization=world.org, ids=[p.pk for p in points], user=world.coordinator
        )
        version = draft_of(started_plan(initiative))
        now = next(s for s in render_sections(version_content(version)) if s.key == "now")
    assert "By partner: Riverside Food Bank 1,234" in now.data_html
    assert "5,678" not in now.data_html and HIDDEN in now.data_html


def test_the_newsletters_data_item_shows_allowed_partners_only(world, clock, two_partners):
    _indicator, points = two_partners
    clock.move_to(datetime.datetime(2026, 10, 19, 13, 0, tzinfo=datetime.UTC))  # Monday 09:00
    with scope(organization=world.org):
        data_points_approve(
            organization=world.org, ids=[p.pk for p in points], user=world.coordinator
        )
        newsletter = newsletter_draft_weekly(organization=world.org)
        (item,) = newsletter.items.filter(kind=NewsletterItem.Kind.DATA)
    assert "By partner: Riverside Food Bank 1,234." in item.body
    assert "5,678" not in item.body and HIDDEN in item.body
