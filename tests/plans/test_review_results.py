"""The results of a backbone review: distribution and mean per function, nothing below
three answers, anonymity kept, the trend of the same scope over the years."""

from django_scopes import scope

from backbone.models import Notification
from plans.models import BackboneFunction, ReviewAnswer
from plans.selectors.review import review_results, review_trend
from plans.services import review as services

from ..initiatives.factories import InitiativeFactory
from .factories import ReviewAnswerFactory, ReviewFactory, ReviewRespondentFactory, ratings


def results_of(review):
    return review_results(review, list(ReviewAnswer.objects.filter(review=review)))


def test_each_function_has_its_distribution_and_mean(world):
    review = ReviewFactory(organization=world.org)
    for values in [(5, 4, 1, None, 2, 3), (4, 4, 2, None, 2, 3), (3, 1, 3, 5, 2, 3)]:
        ReviewAnswerFactory(review=review, ratings=ratings(*values))
    with scope(organization=world.org):
        results = results_of(review)
    vision, activities, measurement, public_will, *_ = results.functions
    assert vision.function == BackboneFunction.VISION
    assert vision.mean == 4.0
    assert vision.distribution == [(1, 0, 0), (2, 0, 0), (3, 1, 33), (4, 1, 33), (5, 1, 33)]
    assert activities.mean == 3.0
    assert measurement.mean == 2.0
    # One rating and two "don't know": too few to show, never a figure.
    assert (public_will.count, public_will.dont_know) == (1, 2)
    assert not public_will.shown
    assert public_will.mean is None and public_will.distribution == []


def test_below_three_answers_no_figure_nor_comment_is_shown(world):
    review = ReviewFactory(organization=world.org)
    for _ in range(2):
        ReviewAnswerFactory(review=review, comments={"vision": "Clear goals"}, missing="Data")
    with scope(organization=world.org):
        results = results_of(review)
        assert not any(f.shown for f in results.functions)
        assert not results.comments_shown
        ReviewAnswerFactory(review=review, comments={"vision": "A shared plan"})
        results = results_of(review)
    assert all(f.shown for f in results.functions)
    assert results.comments_shown
    assert results.functions[0].comments == ["A shared plan", "Clear goals", "Clear goals"]
    assert dict(results.questions)["What is missing?"] == ["Data", "Data"]


def test_the_self_assessment_is_beside_not_inside_the_partners_figures(world):
    review = ReviewFactory(organization=world.org)
    for _ in range(3):
        ReviewAnswerFactory(review=review, ratings=ratings(2, 2, 2, 2, 2, 2))
    with scope(organization=world.org):
        services.review_self_assess(
            review=review,
            by=world.coordinator,
            answers={f"rating_{f}": "5" for f in BackboneFunction.values},
        )
        results = results_of(review)
    assert results.answer_count == 3 and results.self_count == 1
    assert [f.mean for f in results.functions] == [2.0] * 6
    assert [f.self_mean for f in results.functions] == [5.0] * 6


def answers_for(function_value: str = "4") -> dict:
    return {
        **{f"rating_{f}": function_value for f in BackboneFunction.values},
        "comment_vision": "Good direction",
        "working": "The monthly table",
    }


def test_an_anonymous_answer_keeps_no_trace_of_who_gave_it(world):
    review = ReviewFactory(organization=world.org, anonymous=True)
    respondent = ReviewRespondentFactory(review=review, name="Lee Park")
    with scope(organization=world.org):
        answer = services.review_answer(respondent=respondent, answers=answers_for())
        answer.refresh_from_db()
        respondent.refresh_from_db()
    assert answer.respondent is None and answer.respondent_name == "" and answer.answered_at is None
    assert answer.ratings["vision"] == 4 and answer.comments == {"vision": "Good direction"}
    assert respondent.answered_at is not None  # the link is used, nothing more


def test_a_named_review_keeps_who_answered(world):
    review = ReviewFactory(organization=world.org, anonymous=False)
    respondent = ReviewRespondentFactory(review=review, name="Lee Park")
    with scope(organization=world.org):
        answer = services.review_answer(respondent=respondent, answers=answers_for("unknown"))
    assert answer.respondent == respondent and answer.respondent_name == "Lee Park"
    assert answer.ratings["vision"] is None


def test_the_trend_reads_the_closed_reviews_of_the_same_scope(world):
    initiative = InitiativeFactory(organization=world.org)
    for year, value in ((2024, 2), (2025, 3)):
        past = ReviewFactory(organization=world.org, year=year, status="closed")
        for _ in range(3):
            ReviewAnswerFactory(review=past, ratings=ratings(*[value] * 6))
    ReviewFactory(organization=world.org, initiative=initiative, year=2025, status="closed")
    ReviewFactory(organization=world.org, year=2027, status="closed")  # later: not in the trend
    current = ReviewFactory(organization=world.org, year=2026)
    for _ in range(3):
        ReviewAnswerFactory(review=current, ratings=ratings(*[4] * 6))
    with scope(organization=world.org):
        trend = review_trend(current)
    assert [(t.review.year, t.means[0]) for t in trend] == [(2024, 2.0), (2025, 3.0), (2026, 4.0)]


def test_answers_of_one_day_make_one_notice_for_the_owner(world, clock):
    review = ReviewFactory(organization=world.org, opened_by=world.coordinator)
    with scope(organization=world.org):
        for _ in range(3):
            services.review_answer(
                respondent=ReviewRespondentFactory(review=review), answers=answers_for()
            )
        assert Notification.objects.filter(user=world.coordinator).count() == 1
        clock.shift(86400)
        services.review_answer(
            respondent=ReviewRespondentFactory(review=review), answers=answers_for()
        )
        assert Notification.objects.filter(user=world.coordinator).count() == 2
        assert not Notification.objects.exclude(user=world.coordinator).exists()
