"""Backbone effectiveness reviews (/o/<slug>/reviews/…): staff open one, choose who answers,
send the links after a confirm step, add their self-assessment and response, and close it;
the roundtable reads the published results and the PDF. The questionnaire itself is
answered through a one-time link without an account (/review/<token>/)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from backbone.access import access, org_view
from backbone.files import file_response
from backbone.forms import add_service_errors, form_status, form_write
from backbone.links import org_url
from backbone.permissions import can
from backbone.tasks import enqueue

from .. import tasks
from ..forms import (
    ReviewForm,
    ReviewQuestionnaireForm,
    ReviewRespondentsForm,
    ReviewResponseForm,
)
from ..models import BackboneFunction, Review, ReviewAnswer, ReviewRespondent
from ..selectors.review import (
    review_answers,
    review_results,
    review_trend,
    reviews_visible_to,
    self_assessment_comments,
    with_counts,
)
from ..services import review as services


def _review(request, review_id: int) -> Review:
    return access(request, reviews_visible_to(request.membership), pk=review_id)


def _goto(review: Review, view: str = "reviews:detail"):
    return redirect(org_url(review.organization, view, review_id=review.pk))


@org_view("reviews.view")
def review_list(request):
    return _list_page(request)


def _list_page(request, form=None):
    reviews = list(with_counts(reviews_visible_to(request.membership)))
    manage = can(request.membership, "reviews.manage")
    if manage and form is None:
        form = ReviewForm(organization=request.organization)
    return render(
        request,
        "plans/reviews/list.html",
        {"reviews": reviews, "form": form if manage else None},
        status=form_status(form),
    )


@org_view("reviews.manage")
@require_POST
def review_create(request):
    form = ReviewForm(request.POST, organization=request.organization)
    review = form_write(
        form, services.review_open, organization=request.organization, by=request.user
    )
    if review is None:
        return _list_page(request, form=form)
    messages.success(request, _("The review is open: now choose who is asked."))
    return _goto(review, "reviews:respondents")


@org_view("reviews.view")
def review_detail(request, review_id: int):
    review = _review(request, review_id)
    answers = review_answers(review)
    manage = can(request.membership, "reviews.manage")
    response_form = None
    if manage:
        response_form = ReviewResponseForm(instance=review)
    return render(
        request,
        "plans/reviews/detail.html",
        _detail_context(review, answers, manage=manage, response_form=response_form),
    )


def _detail_context(review: Review, answers: list[ReviewAnswer], *, manage: bool, response_form):
    return {
        "review": review,
        "results": review_results(review, answers),
        "trend": review_trend(review),
        "functions": BackboneFunction,
        "team_comments": self_assessment_comments(answers) if manage or not review.is_open else [],
        "response_form": response_form,
        "manage": manage,
    }


@org_view("reviews.manage")
def review_respondents(request, review_id: int):
    review = _review(request, review_id)
    respondents = list(ReviewRespondent.objects.filter(review=review))
    asked = {r.email.lower() for r in respondents}
    form = ReviewRespondentsForm(
        request.POST or None, organization=request.organization, asked=asked
    )
    if request.method == "POST" and form.is_valid():
        contact = form.cleaned_data.get("contact")
        try:
            added = services.review_respondents_add(
                review=review,
                members=form.cleaned_data.get("members") or [],
                contacts=[contact] if contact else [],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request, _("%(count)s added to the people asked.") % {"count": len(added)}
            )
            return _goto(review, "reviews:respondents")
    return render(
        request,
        "plans/reviews/respondents.html",
        {
            "review": review,
            "respondents": respondents,
            "unsent": sum(1 for r in respondents if r.sent_at is None),
            "form": form,
        },
        status=form_status(form),
    )


@org_view("reviews.manage")
def review_send(request, review_id: int):
    """GET: who will be mailed, to confirm; POST: send."""
    review = _review(request, review_id)
    unsent = list(ReviewRespondent.objects.filter(review=review, sent_at=None))
    if request.method == "POST":
        try:
            ids = services.review_links_send(review=review)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
            return _goto(review)
        if ids:
            enqueue(
                tasks.send_review_links,
                organization_id=review.organization_id,
                review_id=review.pk,
                respondent_ids=ids,
            )
        messages.success(request, _("%(count)s links are on their way.") % {"count": len(ids)})
        return _goto(review, "reviews:respondents")
    return render(request, "plans/reviews/send.html", {"review": review, "unsent": unsent})


@org_view("reviews.manage")
def review_self(request, review_id: int):
    """The team's self-assessment: the same questionnaire, by a staff member."""
    review = _review(request, review_id)
    mine = ReviewAnswer.objects.filter(
        review=review, author=request.user, is_self_assessment=True
    ).first()
    initial = _initial_of(mine) if mine else None
    form = ReviewQuestionnaireForm(request.POST or None, initial=initial)
    if form_write(form, _self_assess, review=review, by=request.user) is not None:
        messages.success(request, _("Your self-assessment is saved."))
        return _goto(review)
    return render(
        request,
        "plans/reviews/self.html",
        {"review": review, "form": form},
        status=form_status(form),
    )


def _self_assess(*, review: Review, by, **answers):
    return services.review_self_assess(review=review, by=by, answers=answers)


def _initial_of(answer: ReviewAnswer) -> dict:
    initial = {q: getattr(answer, q) for q in services.QUESTIONS}
    for function in BackboneFunction.values:
        rating = answer.ratings.get(function)
        initial[f"rating_{function}"] = str(rating) if rating else "unknown"
        initial[f"comment_{function}"] = answer.comments.get(function, "")
    return initial


@org_view("reviews.manage")
@require_POST
def review_response(request, review_id: int):
    review = _review(request, review_id)
    form = ReviewResponseForm(request.POST, instance=review)
    if form.is_valid():
        try:
            services.review_respond(
                review=review,
                response=form.cleaned_data["response"],
                seen=form.cleaned_data.get("seen", ""),
                by=request.user,
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The response is saved."))
            return redirect(
                org_url(review.organization, "reviews:detail", review_id=review.pk) + "#response"
            )
    review.refresh_from_db()
    context = _detail_context(review, review_answers(review), manage=True, response_form=form)
    return render(request, "plans/reviews/detail.html", context, status=form_status(form))


@org_view("reviews.manage")
@require_POST
def review_close(request, review_id: int):
    review = _review(request, review_id)
    try:
        review = services.review_close(review=review)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return _goto(review)
    if services.review_pdf_request(review=review):
        enqueue(
            tasks.render_review_pdf, organization_id=review.organization_id, review_id=review.pk
        )
    messages.success(
        request, _("The review is closed and its results are published to the roundtable.")
    )
    return _goto(review)


@org_view("reviews.view")
def review_pdf(request, review_id: int):
    """GET: the PDF when it is ready; POST: ask for it (again, if it failed)."""
    review = _review(request, review_id)
    if request.method == "POST":
        if services.review_pdf_request(review=review):
            enqueue(
                tasks.render_review_pdf, organization_id=review.organization_id, review_id=review.pk
            )
        return _goto(review)
    if review.pdf_status != Review.PdfStatus.READY or not review.pdf:
        raise Http404
    name = _("Backbone review %(year)s - %(scope)s.pdf") % {
        "year": review.year,
        "scope": review.scope_name,
    }
    return file_response(review.pdf, filename=name, attachment=True)


# The questionnaire, through a one-time link -------------------------------------------


@never_cache
def review_answer(request, token: str):
    try:
        respondent = services.respondent_for_token(token)
    except services.ReviewLinkInvalid as exc:
        return render(request, "plans/reviews/answer.html", {"problem": str(exc)}, status=410)
    review = respondent.review
    organization = review.organization
    with timezone.override(organization.tzinfo), translation.override(organization.language):
        form = ReviewQuestionnaireForm(request.POST or None)
        context = {
            "review": review,
            "respondent": respondent,
            "public_organization": organization,
            "closes_at": services.link_closes_at(review),
        }
        if request.method == "POST" and form.is_valid():
            try:
                services.review_answer(respondent=respondent, answers=form.cleaned_data)
            except services.ReviewLinkInvalid as exc:
                return render(
                    request, "plans/reviews/answer.html", {"problem": str(exc)}, status=410
                )
            return render(request, "plans/reviews/answer.html", {**context, "thanks": True})
        return render(
            request,
            "plans/reviews/answer.html",
            {**context, "form": form},
            status=form_status(form),
        )
