"""Calendar feeds: a member's private feed behind a revocable token (made, shown once,
renewed and revoked on the profile page), listing exactly what is theirs per role and
nothing of another organization; and a published scorecard's public events feed."""

import datetime

import icalendar
import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django_scopes import scopes_disabled

from backbone.calendar_feeds import calendar_feed_renew
from backbone.models import CalendarFeed, hash_token
from plans.services.plan import section_update
from stakeholders.models import Partner

from ..initiatives.factories import (
    ActionItemFactory,
    EngagementEventFactory,
    InitiativeFactory,
    InitiativePartnerFactory,
)
from ..measures.factories import DataPointFactory, DataRequestFactory, IndicatorFactory
from ..stakeholders.factories import ContactFactory, PartnerFactory, PartnerMembershipFactory
from .factories import adopt, draft_of, started_plan

SOON = datetime.timedelta(days=5)


def feed_of(world, user) -> str:
    with scopes_disabled():
        token = calendar_feed_renew(membership=world.membership(user))
    return reverse("calendar_feed", kwargs={"token": token})


def summaries(response) -> set[str]:
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    calendar = icalendar.Calendar.from_ical(response.content)
    return {str(event["SUMMARY"]) for event in calendar.walk("VEVENT")}


@pytest.fixture
def calendar_world(world):
    """Two initiatives of Riverside: the food bank takes part in the first only. Each has
    an event; the food bank owes "Meals served" (it submitted 2026-Q1), another partner owes
    "Rents paid"; the coordinator leads one action item; the first plan was adopted.
    Northbay has an event and an action led by the same e-mail."""
    food_bank = PartnerFactory(organization=world.org, name="Riverside Food Bank")
    PartnerMembershipFactory(membership=world.membership(world.partner), partner=food_bank)
    shared = InitiativeFactory(
        organization=world.org, name="Food Security", start_date=datetime.date(2026, 1, 1)
    )
    staff_only = InitiativeFactory(
        organization=world.org, name="Housing First", start_date=datetime.date(2026, 1, 1)
    )
    InitiativePartnerFactory(initiative=shared, partner=food_bank)
    EngagementEventFactory(
        initiative=shared, title="Harvest supper", starts_at=timezone.now() + SOON
    )
    EngagementEventFactory(
        initiative=staff_only, title="Landlord breakfast", starts_at=timezone.now() + SOON
    )
    meals = IndicatorFactory(initiative=shared, name="Meals served")
    rents = IndicatorFactory(initiative=shared, name="Rents paid")
    DataRequestFactory(indicator=meals, partner=food_bank)
    DataRequestFactory(indicator=rents)
    DataPointFactory(indicator=meals, partner=food_bank, period="2026-Q1", status="submitted")
    me = ContactFactory(organization=world.org, email=world.coordinator.email.upper())
    ActionItemFactory(
        initiative=shared, title="Book the hall", lead=me, due_date=datetime.date(2026, 11, 2)
    )
    ActionItemFactory(
        initiative=shared, title="Someone else's task", due_date=datetime.date(2026, 11, 3)
    )
    version = draft_of(started_plan(shared))
    with scopes_disabled():
        section_update(version=version, key="executive_summary", body="Together.")
    adopt(version, world.admin, datetime.date(2026, 9, 30))
    northbay = InitiativeFactory(organization=world.other_org, name="Northbay Rivers")
    EngagementEventFactory(
        initiative=northbay, title="Northbay picnic", starts_at=timezone.now() + SOON
    )
    ActionItemFactory(
        initiative=northbay,
        title="Northbay task",
        lead=ContactFactory(organization=world.other_org, email=world.coordinator.email),
        due_date=datetime.date(2026, 11, 4),
    )
    return world


def test_each_role_gets_exactly_its_own_items(calendar_world, world):
    client = Client()
    coordinator = summaries(client.get(feed_of(world, world.coordinator)))
    partner = summaries(client.get(feed_of(world, world.partner)))
    roundtable = summaries(client.get(feed_of(world, world.roundtable)))

    adopted = "Plan adopted: Food Security"
    assert {
        "Harvest supper · Food Security",
        "Landlord breakfast · Housing First",
        "Action due: Book the hall",
        adopted,
        "Data due: Meals served, 2026-Q1",
        "Data due: Rents paid, 2026-Q3",
    } <= coordinator
    assert "Action due: Someone else's task" not in coordinator
    # The partner: its initiative only, what its partner still owes (2026-Q1 is submitted).
    assert "Harvest supper · Food Security" in partner and adopted in partner
    assert "Data due: Meals served, 2026-Q2" in partner
    assert "Data due: Meals served, 2026-Q1" not in partner
    assert not any("Rents paid" in s or "Landlord" in s or "Action due" in s for s in partner)
    # The roundtable: events and adoptions, no data due dates.
    assert "Landlord breakfast · Housing First" in roundtable
    assert not any(s.startswith("Data due") for s in roundtable)
    # Another organization's items, never.
    for feed in (coordinator, partner, roundtable):
        assert not any("Northbay" in s for s in feed)


def test_uids_are_stable_and_times_are_utc(calendar_world, world):
    url = feed_of(world, world.coordinator)
    first, second = Client().get(url).content, Client().get(url).content
    uids = lambda body: [str(e["UID"]) for e in icalendar.Calendar.from_ical(body).walk("VEVENT")]  # noqa: E731
    assert uids(first) == uids(second) and len(set(uids(first))) == len(uids(first))
    supper = next(
        e for e in icalendar.Calendar.from_ical(first).walk("VEVENT") if "Harvest" in e["SUMMARY"]
    )
    assert supper["DTSTART"].dt.utcoffset() == datetime.timedelta(0)
    assert b"X-WR-TIMEZONE:America/Toronto" in first


def test_the_feed_is_a_fixed_number_of_queries(calendar_world, world):
    url = feed_of(world, world.partner)

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert Client().get(url).status_code == 200
        return len(captured)

    before = queries()
    with scopes_disabled():
        food_bank = Partner.objects.get(name="Riverside Food Bank")
    initiative = InitiativeFactory(organization=world.org, start_date=datetime.date(2026, 1, 1))
    InitiativePartnerFactory(initiative=initiative, partner=food_bank)
    for n in range(3):
        EngagementEventFactory(initiative=initiative, starts_at=timezone.now() + SOON)
        indicator = IndicatorFactory(initiative=initiative, name=f"More {n}")
        DataRequestFactory(indicator=indicator, partner=food_bank)
    assert len(summaries(Client().get(url))) >= 3 + 3 * 4  # more items, same queries
    assert queries() == before


def test_profile_makes_shows_once_renews_and_revokes_the_address(world, login):
    client = login(world.coordinator)
    membership = world.membership(world.coordinator)
    action = reverse("calendar_feed_renew", kwargs={"membership_id": membership.pk})

    made = client.post(action, {"action": "renew"})
    assert made.status_code == 200
    page = made.content.decode()
    first = page.split("/calendar/", 1)[1].split(".ics", 1)[0]
    url = f"/calendar/{first}.ics"
    assert Client().get(url).status_code == 200
    assert CalendarFeed.objects.get(membership=membership).token_hash == hash_token(first)
    assert first not in client.get(reverse("profile")).content.decode()  # shown once

    renewed = client.post(action, {"action": "renew"}).content.decode()
    second = renewed.split("/calendar/", 1)[1].split(".ics", 1)[0]
    assert second != first
    assert Client().get(url).status_code == 404  # the old address stops at once
    assert Client().get(f"/calendar/{second}.ics").status_code == 200

    assert client.post(action, {"action": "revoke"}).status_code == 302
    assert Client().get(f"/calendar/{second}.ics").status_code == 404
    assert not CalendarFeed.objects.filter(membership=membership).exists()


def test_no_one_touches_anothers_feed(world, login):
    theirs = world.membership(world.admin)
    action = reverse("calendar_feed_renew", kwargs={"membership_id": theirs.pk})
    assert login(world.coordinator).post(action, {"action": "renew"}).status_code == 404
    assert login(world.outsider).post(action, {"action": "revoke"}).status_code == 404
    assert not CalendarFeed.objects.filter(membership=theirs).exists()
    assert Client().get("/calendar/not-a-token-at-all.ics").status_code == 404
    assert Client().get(f"/calendar/{'x' * 43}.ics").status_code == 404


def test_public_events_feed_lists_public_events_while_published(world, login, initiative):
    EngagementEventFactory(
        initiative=initiative, title="Open house", public=True, starts_at=timezone.now() + SOON
    )
    EngagementEventFactory(
        initiative=initiative, title="Board dinner", starts_at=timezone.now() + SOON
    )
    staff = login(world.coordinator)
    staff.post(
        reverse(
            "plans:scorecard_publish",
            kwargs={"org_slug": world.org.slug, "initiative_id": initiative.pk},
        )
    )
    with scopes_disabled():
        slug = initiative.scorecard.slug
    url = reverse("scorecard_events", kwargs={"slug": slug})

    assert summaries(Client().get(url)) == {"Open house"}

    staff.post(
        reverse(
            "plans:scorecard_unpublish",
            kwargs={"org_slug": world.org.slug, "initiative_id": initiative.pk},
        )
    )
    assert Client().get(url).status_code == 404
