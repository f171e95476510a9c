"""The rules of the partner feedback survey, reached without HTTP: who it goes to, the
mail, and a link that works once and not after it expires."""

import datetime

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import timezone
from django_scopes import scope, scopes_disabled

from backbone.tasks import enqueue
from initiatives import services
from initiatives.models import (
    FeedbackSurvey,
)
from initiatives.tasks import send_feedback_survey

from .factories import (
    CommitmentFactory,
    FeedbackSurveyFactory,
)


def test_a_survey_goes_only_to_a_signer_with_an_email(world, initiative):
    commitment = CommitmentFactory(initiative=initiative, signed_by__email="lee@unitedway.example")
    with scope(organization=world.org):
        with pytest.raises(ValidationError):
            services.survey_send(
                commitment=CommitmentFactory(initiative=initiative, signed_by__email="")
            )
        survey = services.survey_send(commitment=commitment)
        assert FeedbackSurvey.objects.filter(commitment__signed_by__email="").count() == 0
    assert survey.sent_to_id == commitment.signed_by_id
    assert len(survey.token) >= 40


def test_survey_task_sends_the_link(world, initiative, django_capture_on_commit_callbacks):
    commitment = CommitmentFactory(initiative=initiative, signed_by__email="lee@unitedway.example")
    with scope(organization=world.org), django_capture_on_commit_callbacks(execute=True):
        survey = services.survey_send(commitment=commitment)
        # The service makes the survey; its caller (the page) enqueues the mail.
        enqueue(send_feedback_survey, organization_id=world.org.pk, survey_id=survey.pk)
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["lee@unitedway.example"]
    assert f"/survey/{survey.token}/" in mail.outbox[0].body


def test_a_survey_link_works_once_and_not_after_it_expires(world, initiative):
    survey = FeedbackSurveyFactory(commitment__initiative=initiative)
    expired = FeedbackSurveyFactory(
        commitment__initiative=initiative,
        expires_at=timezone.now() - datetime.timedelta(minutes=1),
    )
    assert services.survey_for_token(survey.token).pk == survey.pk
    services.survey_answer(
        survey=survey,
        answers={"activities": "Hosted two kitchen-table events", "collaboration_increased": "yes"},
    )
    with pytest.raises(services.SurveyLinkInvalid, match="already been answered"):
        services.survey_for_token(survey.token)
    with pytest.raises(services.SurveyLinkInvalid, match="already been answered"):
        services.survey_answer(survey=survey, answers={"activities": "again"})
    with pytest.raises(services.SurveyLinkInvalid, match="expired"):
        services.survey_for_token(expired.token)
    with pytest.raises(services.SurveyLinkInvalid, match="not valid"):
        services.survey_for_token(survey.token[:-2] + "xx")
    with scopes_disabled():
        survey.refresh_from_db()
    assert survey.activities == "Hosted two kitchen-table events"
