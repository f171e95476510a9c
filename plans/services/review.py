"""Writes on backbone effectiveness reviews: open one, choose who answers, send the links,
answer through a link (or as staff, the self-assessment), respond, close, make the PDF.

Services never queue jobs: the view that sends the links enqueues `tasks.send_review_links`,
and the one that closes a review enqueues `tasks.render_review_pdf`.
"""

import datetime as dt
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django_scopes import scopes_disabled

from backbone.links import absolute_url
from backbone.mail import send_branded_text
from backbone.models import Membership, Organization, Role, User
from backbone.stale import note_editor, require_unchanged
from initiatives.models import Initiative
from stakeholders.models import Contact

from ..models import BackboneFunction, Review, ReviewAnswer, ReviewRespondent
from ..notices import tell_review_answered, tell_review_published
from ..pdf import review_pdf_bytes

QUESTIONS = ("challenging", "missing", "working")
RESPONSE_FIELDS = ["response"]


@transaction.atomic
def review_open(
    *,
    organization: Organization,
    initiative: Initiative | None,
    year: int,
    anonymous: bool,
    closes_on: dt.date,
    asked_by: str,
    message: str,
    by: User | None,
) -> Review:
    if closes_on < timezone.localdate():
        raise ValidationError({"closes_on": _("Choose a closing date from today on.")})
    if initiative is not None and initiative.organization_id != organization.pk:
        raise ValidationError({"initiative": _("Choose an initiative of this organization.")})
    if Review.objects.filter(
        organization=organization, initiative=initiative, year=year, status=Review.Status.OPEN
    ).exists():
        raise ValidationError(
            {"year": _("A review of this year and scope is already open: close it first.")}
        )
    return Review.objects.create(
        organization=organization,
        initiative=initiative,
        year=year,
        anonymous=anonymous,
        closes_on=closes_on,
        asked_by=asked_by.strip(),
        message=message.strip(),
        opened_by=by,
    )


def _require_open(review: Review) -> None:
    if not review.is_open:
        raise ValidationError(_("This review is closed: its answers and results are final."))


def _role_of(membership: Membership) -> str:
    if membership.role == Role.ROUNDTABLE:
        return str(_("Roundtable"))
    link = getattr(membership, "partner_link", None)
    return link.partner.name if link else str(_("Partner"))


@transaction.atomic
def review_respondents_add(
    *, review: Review, members: Iterable[Membership] = (), contacts: Iterable[Contact] = ()
) -> list[ReviewRespondent]:
    """Add people to ask: members (partner users, roundtable) and registry contacts.
    Someone already asked (same address) is not asked twice."""
    _require_open(review)
    wanted: dict[str, dict] = {}
    for membership in members:
        user = membership.user
        wanted.setdefault(
            user.email.lower(),
            {"user": user, "name": user.display_name, "role": _role_of(membership)},
        )
    for contact in contacts:
        if not contact.email:
            raise ValidationError(
                {"contact": _("%(name)s has no e-mail address: add one in the registry first.")
                 % {"name": contact.full_name}}
            )  # fmt: skip
        wanted.setdefault(
            contact.email.lower(),
            {
                "contact": contact,
                "name": contact.full_name,
                "role": contact.partner.name if contact.partner_id else "",
            },
        )
    known = set(
        ReviewRespondent.objects.filter(review=review, email__in=list(wanted)).values_list(
            "email", flat=True
        )
    )
    return [
        ReviewRespondent.objects.create(
            organization_id=review.organization_id, review=review, email=email, **fields
        )
        for email, fields in wanted.items()
        if email not in known
    ]


@transaction.atomic
def review_links_send(*, review: Review) -> list[int]:
    """Mark the links not sent yet as sent; the caller enqueues `send_review_links` with
    the ids returned, which mails them."""
    _require_open(review)
    unsent = ReviewRespondent.objects.select_for_update().filter(review=review, sent_at=None)
    ids = list(unsent.values_list("pk", flat=True))
    ReviewRespondent.objects.filter(pk__in=ids).update(sent_at=timezone.now())
    return ids


def review_links_mail(
    *, organization: Organization, review_id: int, respondent_ids: list[int]
) -> int:
    """E-mail each link once (safe to retry: a link already mailed, answered or closed is
    skipped). Returns the number mailed."""
    review = Review.objects.select_related("initiative").get(
        pk=review_id, organization=organization
    )
    if not review.is_open:
        return 0
    mailed = 0
    waiting = ReviewRespondent.objects.filter(
        review=review, pk__in=respondent_ids, mailed_at=None, answered_at=None
    )
    with translation.override(organization.language), timezone.override(organization.tzinfo):
        for respondent in waiting:
            context = {
                "review": review,
                "respondent": respondent,
                "organization": organization,
                "link": absolute_url(reverse("review_answer", kwargs={"token": respondent.token})),
            }
            subject = _("%(organization)s asks how well its backbone works (%(year)s)") % {
                "organization": organization.name,
                "year": review.year,
            }
            text = render_to_string("plans/reviews/email/link.txt", context)
            send_branded_text(
                organization=organization, to=[respondent.email], subject=subject, text=text
            )
            ReviewRespondent.objects.filter(pk=respondent.pk).update(mailed_at=timezone.now())
            mailed += 1
    return mailed


class ReviewLinkInvalid(Exception):
    """The review link can't be used; the message says why, in words for the person."""


def link_closes_at(review: Review) -> dt.datetime:
    """The end of the closing day, in the organization's zone."""
    next_day = review.closes_on + dt.timedelta(days=1)
    return dt.datetime.combine(next_day, dt.time(), tzinfo=review.organization.tzinfo)


def _check_link(respondent: ReviewRespondent) -> None:
    review = respondent.review
    if respondent.answered_at is not None:
        raise ReviewLinkInvalid(_("This link has already been used to answer. Thank you!"))
    if not review.is_open or timezone.now() >= link_closes_at(review):
        raise ReviewLinkInvalid(
            _("This review is closed: answers were taken until %(date)s.")
            % {"date": review.closes_on.isoformat()}
        )
    if respondent.sent_at is None:
        raise ReviewLinkInvalid(_("This link has not been sent yet."))


def respondent_for_token(token: str) -> ReviewRespondent:
    """The respondent behind a public link, or ReviewLinkInvalid (unknown, used, expired)."""
    with scopes_disabled():
        respondent = (
            ReviewRespondent.objects.filter(token=token)
            .select_related("review", "review__organization", "review__initiative")
            .first()
        )
    if respondent is None:
        raise ReviewLinkInvalid(
            _("This review link is not valid. Please use the link from your e-mail as it is.")
        )
    _check_link(respondent)
    return respondent


def _answer_fields(answers: dict) -> dict:
    ratings, comments = {}, {}
    for function in BackboneFunction.values:
        rating = answers.get(f"rating_{function}")
        ratings[function] = int(rating) if rating not in (None, "", "unknown") else None
        comment = (answers.get(f"comment_{function}") or "").strip()
        if comment:
            comments[function] = comment
    return {
        "ratings": ratings,
        "comments": comments,
        **{question: (answers.get(question) or "").strip() for question in QUESTIONS},
    }


@transaction.atomic
def review_answer(*, respondent: ReviewRespondent, answers: dict) -> ReviewAnswer:
    """Store the answers given through a link; a link works once. An anonymous review's
    answer keeps no trace of who gave it."""
    with scopes_disabled():
        locked = (
            ReviewRespondent.objects.select_for_update()
            .select_related("review", "review__organization")
            .get(pk=respondent.pk)
        )
        _check_link(locked)
        review = locked.review
        now = timezone.now()
        answer = ReviewAnswer.objects.create(
            organization_id=review.organization_id,
            review=review,
            respondent=None if review.anonymous else locked,
            respondent_name="" if review.anonymous else locked.name,
            answered_at=None if review.anonymous else now,
            **_answer_fields(answers),
        )
        locked.answered_at = now
        locked.save(update_fields=["answered_at"])
        tell_review_answered(review)
    return answer


@transaction.atomic
def review_self_assess(*, review: Review, by: User, answers: dict) -> ReviewAnswer:
    """The backbone team's own view, one per staff member (given again, it replaces theirs)."""
    _require_open(review)
    answer, _created = ReviewAnswer.objects.update_or_create(
        review=review,
        author=by,
        is_self_assessment=True,
        defaults={
            "organization_id": review.organization_id,
            "respondent_name": by.display_name,
            "answered_at": timezone.now(),
            **_answer_fields(answers),
        },
    )
    return answer


@transaction.atomic
def review_respond(
    *, review: Review, response: str, seen: str = "", by: User | None = None
) -> Review:
    """The backbone's response: what it will change."""
    require_unchanged(review, RESPONSE_FIELDS, seen)
    review.response = response.strip()
    review.save(update_fields=["response"])
    note_editor(review, RESPONSE_FIELDS, by)
    return review


@transaction.atomic
def review_close(*, review: Review) -> Review:
    """Close the review and publish its results to the roundtable; the links stop working.
    The caller enqueues the PDF."""
    locked = Review.objects.select_for_update().get(pk=review.pk)
    _require_open(locked)
    locked.status = Review.Status.CLOSED
    locked.closed_at = timezone.now()
    locked.pdf_status = Review.PdfStatus.NONE
    locked.save(update_fields=["status", "closed_at", "pdf_status"])
    tell_review_published(locked)
    return locked


@transaction.atomic
def review_pdf_request(*, review: Review) -> bool:
    """Ask for the PDF of a closed review; True when a job must be queued."""
    locked = Review.objects.select_for_update().get(pk=review.pk)
    if locked.is_open or locked.pdf_status in (Review.PdfStatus.READY, Review.PdfStatus.RENDERING):
        return False
    locked.pdf_status = Review.PdfStatus.RENDERING
    locked.save(update_fields=["pdf_status"])
    return True


def review_pdf_render(*, organization: Organization, review_id: int) -> str:
    """Render the PDF of a closed review into storage (safe to run twice)."""
    review = Review.objects.select_related("initiative", "organization").get(
        pk=review_id, organization=organization
    )
    if review.pdf_status == Review.PdfStatus.READY and review.pdf:
        return "already rendered"
    try:
        data = review_pdf_bytes(review)
    except Exception:
        Review.objects.filter(pk=review.pk).update(pdf_status=Review.PdfStatus.FAILED)
        raise
    if review.pdf:
        review.pdf.delete(save=False)
    review.pdf.save(f"review-{review.year}-{review.pk}.pdf", ContentFile(data), save=False)
    review.pdf_status = Review.PdfStatus.READY
    review.save(update_fields=["pdf", "pdf_status"])
    return f"{len(data)} bytes"
