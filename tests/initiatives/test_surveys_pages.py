"""The partner feedback survey pages: sending it, the public link without an account, and
who reads the answers."""

import datetime

from django.urls import reverse
from django.utils import timezone
from django_scopes import scopes_disabled

from initiatives.models import FeedbackSurvey

from ..stakeholders.factories import PartnerFactory
from .factories import CommitmentFactory, FeedbackSurveyFactory, InitiativePartnerFactory
from .helpers import link_partner_user, url


def test_sending_the_survey_from_the_page(
    world, login, initiative, mailoutbox, django_capture_on_commit_callbacks
):
    commitment = CommitmentFactory(initiative=initiative, signed_by__email="lee@uw.example")
    with django_capture_on_commit_callbacks(execute=True):
        response = login(world.coordinator).post(
            url("survey_send", world.org, commitment_id=commitment.pk), follow=True
        )
    assert b"on its way to lee@uw.example" in response.content
    assert [m.to for m in mailoutbox] == [["lee@uw.example"]]


def test_the_public_survey_link_is_answered_without_an_account(client, world, initiative):
    survey = FeedbackSurveyFactory(commitment__initiative=initiative)
    path = reverse("survey:answer", kwargs={"token": survey.token})
    page = client.get(path)
    assert page.status_code == 200
    assert b"Has collaboration between partners increased?" in page.content
    bad = client.post(path, {"activities": ""})
    assert bad.status_code == 422
    done = client.post(
        path,
        {
            "activities": "Ran the tax clinic",
            "collaboration_increased": "yes",
            "resources_committed": "Two staff days a month",
        },
    )
    assert b"Thank you!" in done.content
    again = client.get(path)
    assert again.status_code == 410
    assert b"already been answered" in again.content
    with scopes_disabled():
        assert FeedbackSurvey.objects.get(pk=survey.pk).resources_committed == (
            "Two staff days a month"
        )


def test_tampered_and_expired_survey_links_say_so(client, world, initiative):
    survey = FeedbackSurveyFactory(
        commitment__initiative=initiative, expires_at=timezone.now() - datetime.timedelta(days=1)
    )
    expired = client.get(reverse("survey:answer", kwargs={"token": survey.token}))
    assert expired.status_code == 410 and b"expired" in expired.content
    tampered = client.get(reverse("survey:answer", kwargs={"token": survey.token + "x"}))
    assert tampered.status_code == 410 and b"not valid" in tampered.content


def test_staff_read_the_answers(world, login, initiative):
    survey = FeedbackSurveyFactory(
        commitment__initiative=initiative,
        answered_at=timezone.now(),
        activities="Hosted the kitchen-table events",
    )
    page = login(world.roundtable).get(
        url("feedback_survey", world.org, feedback_survey_id=survey.pk)
    )
    assert b"Hosted the kitchen-table events" in page.content


def test_a_partner_reads_its_own_feedback_but_not_another_partners(world, login, initiative):
    mine = PartnerFactory(organization=world.org)
    link_partner_user(world, mine)
    InitiativePartnerFactory(initiative=initiative, partner=mine)
    own = FeedbackSurveyFactory(
        commitment__initiative=initiative,
        commitment__partner=mine,
        answered_at=timezone.now(),
        activities="Our own answer",
    )
    other = FeedbackSurveyFactory(
        commitment__initiative=initiative, answered_at=timezone.now(), activities="Theirs"
    )
    client = login(world.partner)
    page = client.get(url("feedback_survey", world.org, feedback_survey_id=own.pk))
    assert b"Our own answer" in page.content
    refused = client.get(url("feedback_survey", world.org, feedback_survey_id=other.pk))
    assert refused.status_code == 404
