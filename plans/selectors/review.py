"""Reads of backbone effectiveness reviews: who sees which, and the results — per function
the distribution and the mean, the trend over the years, the comments grouped — never a
figure nor a comment below `MIN_ANSWERS` answers."""

from dataclasses import dataclass, field

from django.db.models import Count, Prefetch, Q, QuerySet

from backbone.models import Membership
from backbone.permissions import can
from initiatives.models import ReflectionQuestion

from ..models import MIN_ANSWERS, RATINGS, BackboneFunction, Review, ReviewAnswer


def reviews_visible_to(membership: Membership) -> QuerySet[Review]:
    """Staff see every review; the roundtable reads the published (closed) ones; nobody else."""
    reviews = Review.objects.filter(organization_id=membership.organization_id)
    if can(membership, "reviews.manage"):
        return reviews.select_related("initiative")
    if can(membership, "reviews.view"):
        return reviews.filter(status=Review.Status.CLOSED).select_related("initiative")
    return reviews.none()


def with_counts(reviews: QuerySet[Review]) -> QuerySet[Review]:
    """Each review with how many were asked and how many answered (one query)."""
    return reviews.annotate(
        asked=Count("respondents", distinct=True),
        answered=Count("answers", filter=Q(answers__is_self_assessment=False), distinct=True),
    )


def mean(values: list[int]) -> float | None:
    return round(sum(values) / len(values), 1) if values else None


@dataclass
class FunctionFigures:
    """One function's results: shown only from MIN_ANSWERS ratings on."""

    function: BackboneFunction
    ratings: list[int]
    dont_know: int
    comments: list[str]
    self_ratings: list[int] = field(default_factory=list)

    @property
    def count(self) -> int:
        return len(self.ratings)

    @property
    def shown(self) -> bool:
        return self.count >= MIN_ANSWERS

    @property
    def mean(self) -> float | None:
        return mean(self.ratings) if self.shown else None

    @property
    def self_mean(self) -> float | None:
        return mean(self.self_ratings)

    @property
    def distribution(self) -> list[tuple[int, int, int]]:
        """(rating, answers, percent of the ratings) for 1…5."""
        if not self.shown:
            return []
        return [
            (r, self.ratings.count(r), round(100 * self.ratings.count(r) / self.count))
            for r in RATINGS
        ]


@dataclass
class ReviewResults:
    review: Review
    answer_count: int
    functions: list[FunctionFigures]
    questions: list[tuple[str, list[str]]]  # (question, comments)
    self_count: int

    @property
    def comments_shown(self) -> bool:
        return self.answer_count >= MIN_ANSWERS


def _ordered(texts: list[str], anonymous: bool) -> list[str]:
    # Anonymous: sorted by their words, so the order says nothing about who answered when.
    return sorted(texts, key=str.casefold) if anonymous else texts


def review_results(review: Review, answers: list[ReviewAnswer]) -> ReviewResults:
    """The results of a review from its answers (partners' and the team's)."""
    partners = [a for a in answers if not a.is_self_assessment]
    team = [a for a in answers if a.is_self_assessment]
    functions = []
    for function in BackboneFunction:
        given = [a.ratings.get(function.value) for a in partners]
        functions.append(
            FunctionFigures(
                function=function,
                ratings=[r for r in given if r in RATINGS],
                dont_know=sum(1 for r in given if r not in RATINGS),
                comments=_ordered(
                    [
                        a.comments[function.value]
                        for a in partners
                        if a.comments.get(function.value)
                    ],
                    review.anonymous,
                ),
                self_ratings=[r for a in team if (r := a.ratings.get(function.value)) in RATINGS],
            )
        )
    questions = [
        (
            ReflectionQuestion(q).label,
            _ordered([getattr(a, q) for a in partners if getattr(a, q)], review.anonymous),
        )
        for q in ReflectionQuestion.values
    ]
    return ReviewResults(
        review=review,
        answer_count=len(partners),
        functions=functions,
        questions=questions,
        self_count=len(team),
    )


def self_assessment_comments(answers: list[ReviewAnswer]) -> list[tuple[str, str, str]]:
    """The team's own comments, named: (person, function or question, comment)."""
    labels = dict(BackboneFunction.choices) | dict(ReflectionQuestion.choices)
    rows = []
    for answer in answers:
        if not answer.is_self_assessment:
            continue
        for key, text in answer.comments.items():
            rows.append((answer.respondent_name, labels.get(key, key), text))
        for q in ReflectionQuestion.values:
            if getattr(answer, q):
                rows.append((answer.respondent_name, labels[q], getattr(answer, q)))
    return rows


@dataclass
class TrendYear:
    review: Review
    means: list[float | None]  # per function, in BackboneFunction's order


def review_trend(review: Review) -> list[TrendYear]:
    """This review and the closed reviews of the same scope before it, oldest first, each
    with its mean per function (None below MIN_ANSWERS): two queries."""
    earlier = (
        Review.objects.filter(
            organization_id=review.organization_id,
            initiative_id=review.initiative_id,
            year__lte=review.year,
        )
        .filter(Q(status=Review.Status.CLOSED) | Q(pk=review.pk))
        .order_by("year", "id")
        .prefetch_related(
            Prefetch("answers", queryset=ReviewAnswer.objects.filter(is_self_assessment=False))
        )
    )
    trend = []
    for past in earlier:
        results = review_results(past, list(past.answers.all()))
        trend.append(TrendYear(review=past, means=[f.mean for f in results.functions]))
    return trend


def review_answers(review: Review) -> list[ReviewAnswer]:
    return list(ReviewAnswer.objects.filter(review=review).order_by("id"))
