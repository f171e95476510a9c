"""The yearly indicator review: the walk, the decisions and what they do (definition
versions that past data keep, retirement that stops new data requests)."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django_scopes import scope

from measures import services
from measures.definitions import data_point_definitions, indicator_revise
from measures.models import IndicatorDefinition, IndicatorReview, IndicatorVerdict

from ..stakeholders.factories import ContactFactory
from .factories import DataPointFactory, IndicatorFactory

ANSWERS = {"still_relevant": "yes", "right_thing": "partly", "data_quality": "fair"}


@pytest.fixture
def review(world, login, measures):
    IndicatorFactory(initiative=measures.initiative, name="Zero-waste households")
    response = login(world.coordinator).post(
        f"/o/riverside/measures/initiatives/{measures.initiative.pk}/reviews/"
    )
    with scope(organization=world.org):
        review = IndicatorReview.objects.get(initiative=measures.initiative)
    assert response["Location"].endswith(f"/reviews/{review.pk}/?step=1")
    assert review.year == 2026 and review.opened_by == world.coordinator
    return review


def step_url(review, step) -> str:
    return f"/o/riverside/measures/reviews/{review.pk}/?step={step}"


def test_the_walk_goes_through_the_indicators_in_turn_and_records_who_decided(
    world, login, measures, review
):
    client = login(world.coordinator)
    first = client.get(step_url(review, 1)).content.decode()
    assert "Indicator 1 of 2" in first and "Households using the food bank" in first
    assert "Next indicator" in first and "Previous indicator" not in first
    response = client.post(step_url(review, 1), {**ANSWERS, "decision": "keep", "comment": "Core"})
    assert response.status_code == 302 and response["Location"].endswith("?step=2")
    second = client.get(step_url(review, 2)).content.decode()
    assert "Indicator 2 of 2 · 1 decided" in second and "Zero-waste households" in second
    assert "Previous indicator" in second
    with scope(organization=world.org):
        verdict = IndicatorVerdict.objects.get(review=review, indicator=measures.indicator)
    assert verdict.decision == "keep" and verdict.decided_by == world.coordinator
    assert verdict.right_thing == "partly" and verdict.comment == "Core"
    assert verdict.decided_at is not None


def test_revising_keeps_the_old_definition_for_past_data(world, login, measures, review, clock):
    DataPointFactory(indicator=measures.indicator, period="2026-Q2", status="approved")
    client = login(world.coordinator)
    decided_on = timezone.localdate(timezone=world.org.tzinfo)
    response = client.post(
        step_url(review, 1),
        {**ANSWERS, "decision": "revise", "new_definition": "Households served at least once."},
    )
    assert response.status_code == 302
    clock.shift(datetime.timedelta(days=90))  # into 2027-Q1
    DataPointFactory(indicator=measures.indicator, period="2027-Q1", status="approved")
    with scope(organization=world.org):
        measures.indicator.refresh_from_db()
        assert measures.indicator.definition == "Households served at least once."
        old, new = IndicatorDefinition.objects.filter(indicator=measures.indicator)
        points = list(measures.indicator.data_points.order_by("period"))
        data_point_definitions(measures.indicator, points)
    assert (old.number, new.number) == (1, 2)
    assert old.definition.startswith("Households whose after-tax income")
    assert new.applies_from == decided_on
    assert [p.definition.number for p in points] == [1, 2]
    page = (
        login(world.coordinator)  # a new session: the clock moved past the old one's age
        .get(f"/o/riverside/measures/indicators/{measures.indicator.pk}/")
        .content.decode()
    )
    assert "Definition history" in page and "Version 1" in page and "version 2" in page


def test_revising_needs_a_new_definition(world, login, measures, review):
    response = login(world.coordinator).post(step_url(review, 1), {**ANSWERS, "decision": "revise"})
    assert response.status_code == 422
    assert "Give the new definition." in response.content.decode()


def test_a_revision_the_same_as_the_current_definition_is_refused(world, measures):
    with scope(organization=world.org), pytest.raises(ValidationError):
        indicator_revise(
            indicator=measures.indicator,
            name=measures.indicator.name,
            definition=measures.indicator.definition,
            by=world.coordinator,
            applies_from=datetime.date(2026, 10, 1),
        )


def test_retiring_keeps_the_indicator_and_refuses_new_data_requests(world, login, measures, review):
    DataPointFactory(indicator=measures.indicator, period="2026-Q2", value=Decimal("4"))
    client = login(world.coordinator)
    client.post(step_url(review, 1), {**ANSWERS, "decision": "retire"})
    with scope(organization=world.org):
        measures.indicator.refresh_from_db()
        assert not measures.indicator.is_active
        assert measures.indicator.data_points.count() == 1  # history stays
        with pytest.raises(ValidationError):
            services.data_requests_assign(indicator=measures.indicator, partners=[measures.other])
    page = client.get(f"/o/riverside/measures/indicators/{measures.indicator.pk}/")
    assert "Retired" in page.content.decode()
    refused = client.post(
        f"/o/riverside/measures/indicators/{measures.indicator.pk}/requests/",
        {"partners": [measures.other.pk]},
        follow=True,
    )
    assert "takes no new data requests" in refused.content.decode()
    # The entry form omits it.
    entry = login(world.partner).get(
        f"/o/riverside/measures/initiatives/{measures.initiative.pk}/enter/?period=2026-Q3"
    )
    assert "Households using the food bank" not in entry.content.decode()
    # The review still walks it, and keeping it brings it back.
    assert "Households using the food bank" in client.get(step_url(review, 1)).content.decode()
    client.post(step_url(review, 1), {**ANSWERS, "decision": "keep"})
    with scope(organization=world.org):
        measures.indicator.refresh_from_db()
    assert measures.indicator.is_active


def test_the_champion_answers_for_their_indicator_only(world, login, measures, review):
    champion = ContactFactory(organization=world.org, email=world.partner.email)
    with scope(organization=world.org):
        measures.indicator.champion = champion
        measures.indicator.save()
    client = login(world.partner)
    page = client.get(step_url(review, 1)).content.decode()
    assert "Record and go to the next" in page
    assert client.post(step_url(review, 1), {**ANSWERS, "decision": "keep"}).status_code == 302
    assert "Record" not in client.get(step_url(review, 2)).content.decode()
    assert client.post(step_url(review, 2), {**ANSWERS, "decision": "keep"}).status_code == 403


def test_members_who_champion_nothing_do_not_see_the_review(world, login, review):
    assert login(world.partner).get(step_url(review, 1)).status_code == 404
    roundtable = login(world.roundtable).get(step_url(review, 1)).content.decode()
    assert "Indicator 1 of 2" in roundtable and "Record" not in roundtable


def test_opening_is_for_staff_and_opening_twice_gives_the_same_review(
    world, login, measures, review
):
    url = f"/o/riverside/measures/initiatives/{measures.initiative.pk}/reviews/"
    assert login(world.roundtable).post(url).status_code == 403
    login(world.admin).post(url)
    with scope(organization=world.org):
        assert IndicatorReview.objects.filter(initiative=measures.initiative).count() == 1
    assert "Review 2026" in login(world.roundtable).get(url).content.decode()


def test_a_review_step_takes_the_same_number_of_queries_for_few_and_many(
    world, login, measures, review
):
    client = login(world.coordinator)
    counts = []
    for size in (1, 10):
        for _ in range(size):
            IndicatorFactory(initiative=measures.initiative)
        client.get(step_url(review, 2))
        with CaptureQueriesContext(connection) as queries:
            assert client.get(step_url(review, 2)).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1], counts
