"""Writes on the yearly partner feedback survey: send it, read its public link, answer it.

Sending creates the survey; the caller enqueues the mail (`tasks.send_feedback_survey`)
once the service has returned, so services never start jobs themselves.
"""

from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_scopes import scopes_disabled

from backbone.models import User

from ..models import Commitment, FeedbackSurvey

SURVEY_VALID_FOR = timedelta(days=60)


@transaction.atomic
def survey_send(*, commitment: Commitment, by: User | None = None) -> FeedbackSurvey:
    """Create the yearly feedback survey of a commitment; the caller then enqueues
    `tasks.send_feedback_survey`, which e-mails its link to the signer.

    A survey invitation is transactional (it is about the commitment they signed), so it
    needs an address, not newsletter consent.
    """
    signer = commitment.signed_by
    if not signer.email:
        raise ValidationError(
            _("%(name)s has no e-mail address: add one in the registry first.") % {"name": signer}
        )
    survey = FeedbackSurvey.objects.create(
        organization_id=commitment.organization_id,
        commitment=commitment,
        initiative_id=commitment.initiative_id,
        partner_name=commitment.partner.name,
        sent_to=signer,
        sent_by=by,
        expires_at=timezone.now() + SURVEY_VALID_FOR,
    )
    return survey


class SurveyLinkInvalid(Exception):
    """The survey link can't be used; the message says why, in words for the person."""


def survey_for_token(token: str) -> FeedbackSurvey:
    """The survey behind a public link, or SurveyLinkInvalid (unknown, used or expired)."""
    with scopes_disabled():
        survey = (
            FeedbackSurvey.objects.filter(token=token)
            .select_related("organization", "initiative", "sent_to")
            .first()
        )
    if survey is None:
        raise SurveyLinkInvalid(
            _("This survey link is not valid. Please use the link from your e-mail as it is.")
        )
    if survey.is_answered:
        raise SurveyLinkInvalid(_("This survey has already been answered. Thank you!"))
    if survey.is_expired:
        raise SurveyLinkInvalid(
            _("This survey link has expired. Ask the backbone team for a new one.")
        )
    return survey


SURVEY_FIELDS = [
    "activities",
    "collaboration_increased",
    "collaboration_examples",
    "resources_committed",
    "work_differently",
    "suggestions",
]


@transaction.atomic
def survey_answer(*, survey: FeedbackSurvey, answers: dict) -> FeedbackSurvey:
    """Store the answers; a link works once (a second submission is refused)."""
    with scopes_disabled():
        locked = FeedbackSurvey.objects.select_for_update().get(pk=survey.pk)
        if locked.is_answered:
            raise SurveyLinkInvalid(_("This survey has already been answered. Thank you!"))
        if locked.is_expired:
            raise SurveyLinkInvalid(
                _("This survey link has expired. Ask the backbone team for a new one.")
            )
        for name in SURVEY_FIELDS:
            setattr(locked, name, answers.get(name, ""))
        locked.answered_at = timezone.now()
        locked.save()
    return locked
