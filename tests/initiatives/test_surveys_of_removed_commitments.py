"""Answered feedback surveys of removed commitments are listed where a coordinator looks
(the initiative's commitments), marked "commitment removed", and stay readable — to those
who may read other partners' feedback."""

from django.utils import timezone
from django_scopes import scope

from initiatives.services import commitment_remove

from .factories import CommitmentFactory, FeedbackSurveyFactory, InitiativePartnerFactory
from .helpers import assert_same_queries_for_few_and_many, link_partner_user, url


def removed(initiative, **extra):
    survey = FeedbackSurveyFactory(
        commitment__initiative=initiative,
        answered_at=timezone.now(),
        activities="We ran the Tuesday table all year.",
        **extra,
    )
    with scope(organization=initiative.organization):
        commitment_remove(commitment=survey.commitment)
    return survey


def test_the_commitments_page_lists_answered_surveys_of_removed_commitments(
    world, login, initiative
):
    survey = removed(initiative, commitment__partner__name="Gone Partner")
    FeedbackSurveyFactory(commitment__initiative=initiative, commitment__partner__name="Still here")
    waiting = FeedbackSurveyFactory(
        commitment__initiative=initiative, commitment__partner__name="Never answered"
    )
    with scope(organization=world.org):
        commitment_remove(commitment=waiting.commitment)  # its open link goes with it
    client = login(world.coordinator)

    page = client.get(url("commitments", world.org, initiative_id=initiative.pk)).text

    section = page.split('id="removed-surveys"')[1].split("</section>")[0]
    link = url("feedback_survey", world.org, feedback_survey_id=survey.pk)
    assert f'href="{link}">Gone Partner</a>' in section
    assert "commitment removed" in section
    assert "Still here" not in section and "Never answered" not in section
    answers = client.get(link)
    assert answers.status_code == 200
    assert "We ran the Tuesday table all year." in answers.text
    assert "commitment removed" in answers.text


def test_no_section_when_no_commitment_was_removed(world, login, initiative):
    FeedbackSurveyFactory(commitment__initiative=initiative, answered_at=timezone.now())
    page = login(world.coordinator).get(url("commitments", world.org, initiative_id=initiative.pk))
    assert 'id="removed-surveys"' not in page.text


def test_a_partner_user_does_not_read_the_feedback_of_a_removed_commitment(
    world, login, initiative
):
    survey = removed(initiative, commitment__partner__name="Gone Partner")
    own = CommitmentFactory(initiative=initiative)
    link_partner_user(world, own.partner)
    InitiativePartnerFactory(initiative=initiative, partner=own.partner)
    client = login(world.partner)
    page = client.get(url("commitments", world.org, initiative_id=initiative.pk))
    assert "Gone Partner" not in page.text
    link = url("feedback_survey", world.org, feedback_survey_id=survey.pk)
    assert client.get(link).status_code == 404


def test_the_commitments_page_queries_do_not_grow_with_removed_surveys(world, login, initiative):
    path = url("commitments", world.org, initiative_id=initiative.pk)
    assert_same_queries_for_few_and_many(
        login(world.coordinator), path, lambda: removed(initiative)
    )
