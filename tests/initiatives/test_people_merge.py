"""Merging two contacts in the registry keeps everything the initiative knows of both."""

from django_scopes import scope

from stakeholders.services import contact_merge

from ..stakeholders.factories import ContactFactory
from .factories import (
    AttendanceFactory,
    CommitmentFactory,
    FeedbackSurveyFactory,
    ParticipationFactory,
    StoryFeatureFactory,
    TeamMemberFactory,
)


def test_merging_contacts_moves_their_engagement_and_seats(world):
    kept = ContactFactory(organization=world.org)
    commitment = CommitmentFactory(initiative__organization=world.org)
    absorbed = commitment.signed_by
    survey = FeedbackSurveyFactory(commitment=commitment)
    feature = StoryFeatureFactory(story__initiative__organization=world.org, contact=absorbed)
    seat = TeamMemberFactory(team__initiative__organization=world.org, contact=absorbed)
    participation = ParticipationFactory(initiative=commitment.initiative, contact=absorbed)
    attendance = AttendanceFactory(event__initiative=commitment.initiative, contact=absorbed)
    with scope(organization=world.org):
        contact_merge(kept=kept, absorbed=absorbed)
        for row in (commitment, survey, feature, seat, participation, attendance):
            row.refresh_from_db()
    assert commitment.signed_by_id == kept.pk
    assert survey.sent_to_id == kept.pk
    assert feature.contact_id == kept.pk
    assert seat.contact_id == kept.pk
    assert participation.contact_id == kept.pk
    assert attendance.contact_id == kept.pk
