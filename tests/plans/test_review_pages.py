"""Backbone review pages: staff open and run a review, people answer through a one-time
link, the roundtable reads the published results; partners and strangers are kept out."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django_scopes import scope

from backbone.models import Notification
from plans.models import BackboneFunction, Review, ReviewAnswer, ReviewRespondent

from ..stakeholders.factories import ContactFactory
from .factories import ReviewAnswerFactory, ReviewFactory, ReviewRespondentFactory, ratings

BASE = "/o/riverside/reviews/"


def answers(rating: str = "4") -> dict:
    return {
        **{f"rating_{f}": rating for f in BackboneFunction.values},
        "comment_measurement": "The dashboards help",
        "challenging": "Too many meetings",
    }


def test_staff_open_a_review_and_choose_who_is_asked(world, login):
    client = login(world.coordinator)
    closes_on = timezone.localdate(timezone=world.org.tzinfo) + datetime.timedelta(days=30)
    response = client.post(
        f"{BASE}new/",
        {
            "year": "2026",
            "anonymous": "on",
            "closes_on": closes_on.isoformat(),
            "asked_by": "Maya Chen, Executive Director",
            "message": "Tell us how we do.",
        },
    )
    with scope(organization=world.org):
        review = Review.objects.get()
    assert response["Location"] == f"{BASE}{review.pk}/respondents/"
    assert review.initiative is None and review.anonymous and review.opened_by == world.coordinator
    contact = ContactFactory(organization=world.org, first_name="Lee", last_name="Park")
    page = client.get(f"{BASE}{review.pk}/respondents/").content.decode()
    assert world.partner.display_name in page and world.roundtable.display_name in page
    with scope(organization=world.org):
        members = world.membership(world.partner), world.membership(world.roundtable)
    response = client.post(
        f"{BASE}{review.pk}/respondents/",
        {"members": [m.pk for m in members], "contact": str(contact.pk)},
    )
    assert response.status_code == 302
    with scope(organization=world.org):
        asked = set(ReviewRespondent.objects.values_list("email", "sent_at"))
    assert asked == {
        (world.partner.email, None),
        (world.roundtable.email, None),
        (contact.email, None),
    }


def test_a_review_closing_in_the_past_is_refused_with_422(world, login):
    response = login(world.coordinator).post(
        f"{BASE}new/",
        {"year": "2026", "closes_on": "2020-01-01", "asked_by": "Maya", "message": "Why"},
    )
    assert response.status_code == 422
    assert "Choose a closing date from today on." in response.content.decode()


def test_sending_asks_first_then_mails_each_link_once(
    world, login, mailoutbox, django_capture_on_commit_callbacks
):
    review = ReviewFactory(organization=world.org)
    first = ReviewRespondentFactory(review=review, sent_at=None, email="lee@example.org")
    ReviewRespondentFactory(review=review, sent_at=None, email="ana@example.org")
    client = login(world.coordinator)
    page = client.get(f"{BASE}{review.pk}/send/").content.decode()
    assert "This e-mails 2 people" in page and "lee@example.org" in page
    assert mailoutbox == []
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"{BASE}{review.pk}/send/")
    assert sorted(m.to[0] for m in mailoutbox) == ["ana@example.org", "lee@example.org"]
    mail = next(m for m in mailoutbox if m.to == ["lee@example.org"])
    assert f"/review/{first.token}/" in mail.body
    assert "Maya Chen, Executive Director" in mail.body
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"{BASE}{review.pk}/send/")
    assert len(mailoutbox) == 2


def test_a_partner_answers_through_the_link_once(world, client, clock):
    review = ReviewFactory(organization=world.org, opened_by=world.coordinator)
    respondent = ReviewRespondentFactory(review=review, email=world.partner.email)
    url = f"/review/{respondent.token}/"
    page = client.get(url).content.decode()
    assert "Maya Chen, Executive Director asks:" in page
    assert "We want to know how well we serve the partners." in page
    assert "Please answer by" in page and "anonymous" in page
    assert client.post(url, {"rating_vision": "9"}).status_code == 422
    response = client.post(url, answers())
    assert response.status_code == 200 and "Thank you!" in response.content.decode()
    with scope(organization=world.org):
        answer = ReviewAnswer.objects.get()
        assert (
            Notification.objects.filter(user=world.coordinator, kind="review_answered").count() == 1
        )
    assert answer.ratings["policy"] == 4 and answer.challenging == "Too many meetings"
    again = client.get(url)
    assert again.status_code == 410
    assert "This link has already been used" in again.content.decode()


def test_expired_closed_and_unknown_links_are_refused_with_a_clear_page(world, client, clock):
    closes_on = timezone.localdate(timezone=world.org.tzinfo) + datetime.timedelta(days=6)
    review = ReviewFactory(organization=world.org, closes_on=closes_on)
    respondent = ReviewRespondentFactory(review=review)
    assert client.get(f"/review/{respondent.token}/").status_code == 200
    clock.shift(datetime.timedelta(days=8))
    response = client.get(f"/review/{respondent.token}/")
    assert response.status_code == 410
    assert (
        f"This review is closed: answers were taken until {closes_on.isoformat()}."
        in response.content.decode()
    )
    assert client.post(f"/review/{respondent.token}/", answers()).status_code == 410
    response = client.get("/review/not-a-token/")
    assert response.status_code == 410 and "not valid" in response.content.decode()
    closed = ReviewRespondentFactory(review=ReviewFactory(organization=world.org, status="closed"))
    assert client.get(f"/review/{closed.token}/").status_code == 410


@pytest.mark.parametrize("role", ["partner", "outsider"])
def test_partners_and_strangers_do_not_reach_reviews(world, login, role):
    review = ReviewFactory(organization=world.org, status="closed")
    client = login(getattr(world, role))
    expected = 403 if role == "partner" else 404
    assert client.get(BASE).status_code == expected
    assert client.get(f"{BASE}{review.pk}/").status_code == expected
    assert client.get(f"{BASE}{review.pk}/pdf/").status_code == expected


def test_the_roundtable_reads_published_reviews_only(world, login):
    open_review = ReviewFactory(organization=world.org, year=2026)
    closed = ReviewFactory(
        organization=world.org, year=2025, status="closed", response="Fewer meetings"
    )
    for _ in range(3):
        ReviewAnswerFactory(review=closed, comments={"vision": "Clear direction"})
    client = login(world.roundtable)
    listing = client.get(BASE).content.decode()
    assert "2025" in listing and f"{BASE}{open_review.pk}/" not in listing
    assert "Open a review" not in listing
    assert client.get(f"{BASE}{open_review.pk}/").status_code == 404
    page = client.get(f"{BASE}{closed.pk}/").content.decode()
    assert "Clear direction" in page and "Fewer meetings" in page
    assert "Close and publish" not in page and "Save the response" not in page
    assert client.post(f"{BASE}{closed.pk}/response/", {"response": "x"}).status_code == 403


def test_the_results_page_says_too_few_answers_below_three(world, login):
    review = ReviewFactory(organization=world.org)
    ReviewAnswerFactory(review=review, comments={"vision": "Only me"})
    page = login(world.coordinator).get(f"{BASE}{review.pk}/").content.decode()
    assert page.count("Too few answers to show") == 7  # six functions and the comments
    assert "Only me" not in page


def test_staff_self_assess_respond_and_close_then_the_roundtable_is_told_and_gets_the_pdf(
    world, login, media_in_tmp, django_capture_on_commit_callbacks
):
    review = ReviewFactory(organization=world.org)
    for _ in range(3):
        ReviewAnswerFactory(review=review, ratings=ratings(3, 3, 3, 3, 3, 3))
    client = login(world.coordinator)
    assert client.post(f"{BASE}{review.pk}/self-assessment/", answers("5")).status_code == 302
    form = client.get(f"{BASE}{review.pk}/self-assessment/").context["form"]
    assert form["rating_vision"].value() == "5"  # given again, it starts from one's own
    assert form["challenging"].value() == "Too many meetings"
    with scope(organization=world.org):
        seen = client.get(f"{BASE}{review.pk}/").context["response_form"]["seen"].value()
    client.post(f"{BASE}{review.pk}/response/", {"response": "We will meet less.", "seen": seen})
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"{BASE}{review.pk}/close/")
    with scope(organization=world.org):
        review.refresh_from_db()
        assert review.status == "closed" and review.response == "We will meet less."
        assert review.pdf_status == "ready"
        told = Notification.objects.filter(kind="review_published").values_list("user", flat=True)
        assert list(told) == [world.roundtable.pk]
    reader = login(world.roundtable)
    page = reader.get(f"{BASE}{review.pk}/").content.decode()
    assert "The dashboards help" in page  # the team's own comment, named
    assert f"({world.coordinator.display_name})" in page
    pdf = reader.get(f"{BASE}{review.pk}/pdf/")
    assert pdf.status_code == 200
    assert b"".join(pdf.streaming_content).startswith(b"%PDF")


def test_a_closed_review_takes_no_more_respondents_nor_self_assessment(world, login):
    review = ReviewFactory(organization=world.org, status="closed")
    client = login(world.coordinator)
    with scope(organization=world.org):
        member = world.membership(world.partner)
    response = client.post(f"{BASE}{review.pk}/respondents/", {"members": [member.pk]})
    assert response.status_code == 422
    assert client.post(f"{BASE}{review.pk}/self-assessment/", answers()).status_code == 422


def queries(client, url):
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_the_list_and_the_results_run_the_same_queries_for_few_and_many(world, login):
    client = login(world.coordinator)
    review = ReviewFactory(organization=world.org, year=2026)
    ReviewFactory(organization=world.org, year=2024, status="closed")
    ReviewAnswerFactory(review=review)
    ReviewRespondentFactory(review=review)
    small = queries(client, BASE), queries(client, f"{BASE}{review.pk}/")
    small_people = queries(client, f"{BASE}{review.pk}/respondents/")
    for year in range(2010, 2022):
        past = ReviewFactory(organization=world.org, year=year, status="closed")
        ReviewAnswerFactory(review=past)
    for _ in range(20):
        ReviewAnswerFactory(review=review)
        ReviewRespondentFactory(review=review)
    assert (queries(client, BASE), queries(client, f"{BASE}{review.pk}/")) == small
    assert queries(client, f"{BASE}{review.pk}/respondents/") == small_people
