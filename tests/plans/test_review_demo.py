"""The demo's backbone reviews: last year's closed with figures, comments, a response and
its PDF; this year's open with a few answers; a second run changes nothing."""

from django.core.management import call_command
from django.utils import timezone
from django_scopes import scope, scopes_disabled

from backbone.models import Organization
from plans.models import Review, ReviewAnswer, ReviewRespondent
from plans.selectors.review import review_answers, review_results, review_trend


def counts():
    return tuple(m.objects.count() for m in (Review, ReviewRespondent, ReviewAnswer))


def test_riverside_has_a_closed_review_with_results_and_an_open_one(
    db, media_in_tmp, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        call_command("seed_demo")
    riverside = Organization.objects.get(slug="riverside")
    year = timezone.localdate(timezone=riverside.tzinfo).year
    with scope(organization=riverside):
        last, current = Review.objects.filter(organization=riverside).order_by("year")
        assert (last.year, last.status, current.year, current.status) == (
            year - 1, "closed", year, "open",
        )  # fmt: skip
        assert last.response and last.pdf_status == "ready"
        results = review_results(last, review_answers(last))
        assert results.answer_count == 5 and results.self_count == 1
        assert results.comments_shown and all(f.shown for f in results.functions)
        assert results.functions[0].comments
        assert len(review_trend(current)) == 2
        assert ReviewAnswer.objects.filter(review=current).count() == 2
    with scopes_disabled():
        first = counts()
    call_command("seed_demo")
    with scopes_disabled():
        assert counts() == first
