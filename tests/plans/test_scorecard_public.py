"""The public community scorecard: published by staff, read without an account, cached,
and never showing a person or a value that is not approved, even through its charts or
the cache (after a value is returned, corrected, or the scorecard unpublished)."""

import datetime
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django_scopes import scope, scopes_disabled

from initiatives.services import story_publish
from measures.models import DataPoint
from measures.services import data_point_return, data_point_save, data_points_approve
from plans.models import Scorecard
from plans.services.scorecard import scorecard_of, scorecard_update

from ..backbone.stale_saves import EditCase, check_stale_save_refused
from ..initiatives.factories import (
    AttendanceFactory,
    EngagementEventFactory,
    InitiativePartnerFactory,
    StoryFactory,
    StoryFeatureFactory,
)
from ..measures.factories import DataPointFactory, IndicatorFactory, TargetFactory
from ..stakeholders.factories import ContactFactory, PartnerFactory


def settings_url(world, initiative, name="plans:scorecard"):
    return reverse(name, kwargs={"org_slug": world.org.slug, "initiative_id": initiative.pk})


def publish(world, login, initiative) -> Scorecard:
    response = login(world.coordinator).post(
        settings_url(world, initiative, "plans:scorecard_publish")
    )
    assert response.status_code == 302
    with scopes_disabled():
        return Scorecard.objects.get(initiative=initiative)


def public_url(card: Scorecard, name="scorecard_public", **kwargs) -> str:
    return reverse(name, kwargs={"slug": card.slug, **kwargs})


@pytest.fixture
def shown(world, initiative):
    """An initiative with one population indicator: an approved value, a submitted one,
    a draft, a champion (a person), a performance indicator, a listed and an unlisted
    partner, a public and a private event (with notes and attendance), a published
    story (with a consenting person) and an unpublished one."""
    champion = ContactFactory(organization=world.org, first_name="Chantal", last_name="Champion")
    indicator = IndicatorFactory(
        initiative=initiative,
        name="Children ready for school",
        level="population",
        baseline_value=Decimal("61"),
        champion=champion,
    )
    TargetFactory(indicator=indicator, value=Decimal("75"), date=datetime.date(2030, 6, 30))
    food_bank = PartnerFactory(organization=world.org, name="Riverside Food Bank")
    quiet = PartnerFactory(organization=world.org, name="Quiet Shelter")
    DataPointFactory(
        indicator=indicator,
        partner=food_bank,
        period="2026-Q1",
        value=Decimal("64"),
        status="approved",
    )
    submitted = DataPointFactory(
        indicator=indicator,
        partner=quiet,
        period="2026-Q2",
        value=Decimal("9191"),
        status="submitted",
    )
    DataPointFactory(
        indicator=indicator,
        partner=food_bank,
        period="2026-Q2",
        value=Decimal("8181"),
        status="draft",
    )
    IndicatorFactory(initiative=initiative, name="Workshops held", level="performance")
    InitiativePartnerFactory(initiative=initiative, partner=food_bank, listed_publicly=True)
    InitiativePartnerFactory(initiative=initiative, partner=quiet, listed_publicly=False)
    event = EngagementEventFactory(
        initiative=initiative,
        title="Open house at the library",
        starts_at=timezone.now() + datetime.timedelta(days=10),
        public=True,
        notes="Call Pat Private at 555-0100",
    )
    AttendanceFactory(
        event=event,
        contact=ContactFactory(organization=world.org, first_name="Ada", last_name="Attendee"),
    )
    EngagementEventFactory(
        initiative=initiative,
        title="Steering committee dinner",
        starts_at=timezone.now() + datetime.timedelta(days=3),
    )
    story = StoryFactory(
        initiative=initiative, title="A job at last", text="Work found at the **fair**."
    )
    StoryFeatureFactory(
        story=story,
        contact=ContactFactory(organization=world.org, first_name="Maria", last_name="Featured"),
        consent_given=True,
    )
    with scope(organization=world.org):
        story_publish(story=story)
    StoryFactory(initiative=initiative, title="A draft story not yet told")
    return {"indicator": indicator, "submitted": submitted, "food_bank": food_bank, "event": event}


NEVER_SHOWN = [
    "9191",
    "8181",  # unapproved values
    "Chantal",
    "Champion",  # the indicator's champion
    "Pat Private",
    "555-0100",
    "Ada",
    "Attendee",  # an event's notes and who came
    "Featured",
    "Steering committee dinner",
    "A draft story",
    "Workshops held",
    "Quiet Shelter",  # a partner that did not choose to be listed
    "@riverside.test",  # any member's e-mail
]


def test_staff_publish_and_anyone_reads_it_without_an_account(world, login, initiative, shown):
    card = publish(world, login, initiative)
    assert card.published and card.slug.startswith("poverty-reduction-roundtable-")

    response = Client().get(public_url(card))

    assert response.status_code == 200
    page = response.content.decode()
    for expected in (
        initiative.name,
        "Children ready for school",
        "64",
        "61",
        "75",
        "A job at last",
        "Open house at the library",
        "Central library",
        "Riverside Food Bank",
        'property="og:title"',
        'property="og:url"',
    ):
        assert expected in page, expected
    for secret in NEVER_SHOWN:
        assert secret not in page, secret
    assert "csrfmiddlewaretoken" not in page and "X-CSRFToken" not in page


def test_the_chart_url_and_its_embed_show_only_approved_data(world, login, initiative, shown):
    card = publish(world, login, initiative)
    indicator = shown["indicator"]
    anonymous = Client()

    svg = anonymous.get(public_url(card, "scorecard_chart_svg", indicator_id=indicator.pk))
    embed = anonymous.get(public_url(card, "scorecard_chart", indicator_id=indicator.pk))

    assert svg.status_code == 200 and svg["Content-Type"].startswith("image/svg+xml")
    assert 'data-value="64' in svg.content.decode()
    assert embed.status_code == 200
    assert "frame-ancestors *" in embed["Content-Security-Policy"]
    assert "X-Frame-Options" not in embed
    for body in (svg.content.decode(), embed.content.decode()):
        assert "9191" not in body and "8181" not in body and "Chantal" not in body
    # The public page itself may not be framed.
    assert "frame-ancestors 'none'" in anonymous.get(public_url(card))["Content-Security-Policy"]


def test_another_indicator_is_no_chart_to_embed(world, login, initiative, shown):
    card = publish(world, login, initiative)
    with scopes_disabled():
        performance = initiative.indicators.get(name="Workshops held")
    elsewhere = IndicatorFactory(initiative__organization=world.other_org, level="population")
    for indicator in (performance, elsewhere):
        for name in ("scorecard_chart", "scorecard_chart_svg"):
            assert (
                Client().get(public_url(card, name, indicator_id=indicator.pk)).status_code == 404
            )


def test_unpublishing_stops_the_page_charts_and_calendar_at_once_even_when_cached(
    world, login, initiative, shown
):
    card = publish(world, login, initiative)
    anonymous = Client()
    urls = [
        public_url(card),
        public_url(card, "scorecard_chart", indicator_id=shown["indicator"].pk),
        public_url(card, "scorecard_chart_svg", indicator_id=shown["indicator"].pk),
        public_url(card, "scorecard_events"),
    ]
    assert all(anonymous.get(url).status_code == 200 for url in urls)  # now cached

    login(world.coordinator).post(settings_url(world, initiative, "plans:scorecard_unpublish"))

    assert [anonymous.get(url).status_code for url in urls] == [404, 404, 404, 404]
    # Published again, at the same address, it shows what is true now.
    publish(world, login, initiative)
    assert anonymous.get(urls[0]).status_code == 200


def test_a_returned_or_corrected_value_never_shows_even_from_the_cache(
    world, login, initiative, shown
):
    card = publish(world, login, initiative)
    anonymous = Client()
    chart = public_url(card, "scorecard_chart_svg", indicator_id=shown["indicator"].pk)
    assert "9191" not in anonymous.get(public_url(card)).content.decode()  # cached

    with scope(organization=world.org):
        data_point_return(data_point=shown["submitted"], user=world.coordinator, reason="Typo")
        # The backbone corrects the approved value of the first quarter.
        data_point_save(
            indicator=shown["indicator"],
            period="2026-Q1",
            partner=shown["food_bank"],
            value=Decimal("66"),
            user=world.coordinator,
            by_staff=True,
            expected_version=1,
        )

    page, svg = (
        anonymous.get(public_url(card)).content.decode(),
        anonymous.get(chart).content.decode(),
    )
    assert "9191" not in page and "9191" not in svg
    assert 'data-value="66' in svg and 'data-value="64' not in svg
    assert ">66<" in page or "66 " in page


def test_the_cache_is_made_afresh_when_something_shown_changes(world, login, initiative, shown):
    card = publish(world, login, initiative)
    anonymous = Client()
    assert "New agenda" not in anonymous.get(public_url(card)).content.decode()

    def version():
        with scopes_disabled():
            return Scorecard.objects.get(pk=card.pk).version

    before = version()
    with scope(organization=world.org):
        scorecard_update(scorecard=Scorecard.objects.get(pk=card.pk), summary="New agenda")
        DataPointFactory(
            indicator=shown["indicator"], period="2026-Q3", value=Decimal("70"), status="submitted"
        )
        ids = list(DataPoint.objects.filter(period="2026-Q3").values_list("pk", flat=True))
        data_points_approve(organization=world.org, ids=ids, user=world.coordinator)
        shown["event"].title = "Open house, new date"
        shown["event"].save()
        later = StoryFactory(initiative=initiative, title="A second story")
        story_publish(story=later)
    assert version() >= before + 5

    page = anonymous.get(public_url(card)).content.decode()
    for now_true in ("New agenda", "Open house, new date", "A second story", "70"):
        assert now_true in page, now_true


def test_a_partner_listing_is_the_partners_choice(world, login, initiative, shown):
    card = publish(world, login, initiative)
    with scopes_disabled():
        link = initiative.partner_links.get(partner__name="Quiet Shelter")
    anonymous = Client()
    assert "Quiet Shelter" not in anonymous.get(public_url(card)).content.decode()

    response = login(world.coordinator).post(
        reverse(
            "plans:scorecard_partner_listing",
            kwargs={"org_slug": world.org.slug, "initiative_partner_id": link.pk},
        ),
        {"listed": "1"},
    )

    assert response.status_code == 302
    assert "Quiet Shelter" in anonymous.get(public_url(card)).content.decode()


def test_an_unknown_or_never_published_scorecard_is_not_found(world, login, initiative):
    assert (
        Client().get(reverse("scorecard_public", kwargs={"slug": "no-such-card"})).status_code
        == 404
    )
    login(world.coordinator).post(settings_url(world, initiative), {"summary": "Draft words"})
    with scopes_disabled():
        card = Scorecard.objects.get(initiative=initiative)
    assert not card.published
    assert Client().get(public_url(card)).status_code == 404


def test_only_staff_manage_the_scorecard(world, login, initiative):
    for user in (world.partner, world.roundtable):
        assert login(user).get(settings_url(world, initiative)).status_code in (403, 404)
        login(user).post(settings_url(world, initiative, "plans:scorecard_publish"))
    with scopes_disabled():
        assert not Scorecard.objects.filter(initiative=initiative).exists()
    assert login(world.coordinator).get(settings_url(world, initiative)).status_code == 200


def test_the_settings_page_shows_the_embed_snippets_to_staff(world, login, initiative, shown):
    card = publish(world, login, initiative)
    page = login(world.coordinator).get(settings_url(world, initiative)).content.decode()
    embed = public_url(card, "scorecard_chart", indicator_id=shown["indicator"].pk)
    assert f'value="&lt;iframe src=&quot;http://testserver{embed}&quot;' in page
    assert public_url(card, "scorecard_chart_svg", indicator_id=shown["indicator"].pk) in page


def test_the_page_is_a_fixed_number_of_queries_whatever_its_size(
    world, login, initiative, shown, django_assert_num_queries
):
    card = publish(world, login, initiative)
    anonymous = Client()

    def uncached_queries() -> int:
        cache.clear()
        with CaptureQueriesContext(connection) as queries:
            assert anonymous.get(public_url(card)).status_code == 200
        return len(queries)

    small = uncached_queries()
    for n in range(4):
        more = IndicatorFactory(initiative=initiative, level="population", name=f"More {n}")
        TargetFactory(indicator=more)
        DataPointFactory(indicator=more, period="2026-Q1", status="approved")
        EngagementEventFactory(
            initiative=initiative,
            public=True,
            starts_at=timezone.now() + datetime.timedelta(days=n + 1),
        )
        InitiativePartnerFactory(initiative=initiative, listed_publicly=True)
    assert uncached_queries() == small
    # From the cache: one query (is it still published?).
    with django_assert_num_queries(1):
        anonymous.get(public_url(card))


def test_a_stale_save_of_the_agenda_in_brief_is_refused(world, login, initiative):
    with scopes_disabled():
        card = scorecard_of(initiative=initiative)
    url = settings_url(world, initiative)
    check_stale_save_refused(
        world, login, EditCase(card, url, url, "summary", "Their words", "My words")
    )


def test_the_settings_page_is_a_fixed_number_of_queries(world, login, initiative, shown):
    publish(world, login, initiative)
    staff = login(world.coordinator)

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert staff.get(settings_url(world, initiative)).status_code == 200
        return len(captured)

    before = queries()
    for n in range(3):
        IndicatorFactory(initiative=initiative, level="population", name=f"Also {n}")
        InitiativePartnerFactory(initiative=initiative)
    assert queries() == before
