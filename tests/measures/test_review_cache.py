"""A step of an indicator review is kept as HTML for the staff behind the measures stamp
(measures.panel_cache): a second view reads only the review, a decision recorded (a
verdict saved) is on the next view, and a member who answers only for what they champion
is never served a kept step."""

import re

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django_scopes import scope, scopes_disabled

from measures import reviews
from measures.models import IndicatorReview

from ..stakeholders.factories import ContactFactory
from .test_dashboard_cache import TOKEN, measure_queries

ANSWERS = {"still_relevant": "yes", "right_thing": "partly", "data_quality": "fair"}


def open_review(world, measures) -> IndicatorReview:
    with scope(organization=world.org):
        return reviews.indicator_review_open(
            initiative=measures.initiative, year=2026, by=world.coordinator
        )


def step_url(review, step) -> str:
    return f"/o/riverside/measures/reviews/{review.pk}/?step={step}"


def test_a_second_view_reads_only_the_review(world, login, measures):
    review = open_review(world, measures)
    client = login(world.coordinator)
    first = client.get(step_url(review, 1)).content.decode()
    assert 'type="radio"' in first
    with CaptureQueriesContext(connection) as queries:
        second = client.get(step_url(review, 1)).content.decode()
    assert len(measure_queries(queries)) == 1
    assert TOKEN.sub("", first) == TOKEN.sub("", second)


def test_a_decision_shows_at_once_and_the_kept_form_posts(world, login, measures):
    review = open_review(world, measures)
    client = login(world.coordinator)
    client.handler.enforce_csrf_checks = True
    page = client.get(step_url(review, 1)).content.decode()
    assert "0 decided" in page
    token = re.search(r'csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    response = client.post(
        step_url(review, 1),
        {**ANSWERS, "decision": "keep", "comment": "Core & <b>", "csrfmiddlewaretoken": token},
    )
    assert response.status_code == 302
    page = client.get(step_url(review, 1)).content.decode()
    assert "1 decided" in page and "Core &amp; &lt;b&gt;" in page


def test_a_champions_step_is_never_kept(world, login, measures):
    review = open_review(world, measures)
    login(world.admin).get(step_url(review, 1))
    roundtable = login(world.roundtable)
    assert 'type="radio"' not in roundtable.get(step_url(review, 1)).content.decode()
    with scopes_disabled():
        measures.indicator.champion = ContactFactory(
            organization=world.org, email=world.roundtable.email
        )
        measures.indicator.save()
    login(world.admin).get(step_url(review, 1))
    assert 'type="radio"' in roundtable.get(step_url(review, 1)).content.decode()
    with CaptureQueriesContext(connection) as queries:
        roundtable.get(step_url(review, 1))
    assert len(measure_queries(queries)) > 1  # drawn again


def test_the_reviews_list_counts_decisions_in_sql(world, login, measures):
    review = open_review(world, measures)
    client = login(world.coordinator)
    url = f"/o/riverside/measures/initiatives/{measures.initiative.pk}/reviews/"
    assert "0 decisions" in client.get(url).content.decode()
    client.post(step_url(review, 1), {**ANSWERS, "decision": "keep"})
    with CaptureQueriesContext(connection) as queries:
        page = client.get(url).content.decode()
    assert "1 decision<" in page
    assert len(measure_queries(queries)) == 1  # the reviews with their counts
