"""How the isolation test makes this app's objects (see tests/test_isolation.py)."""

from django.utils import timezone
from django_scopes import scope

from initiatives.services import commitment_remove

from .factories import (
    ActionItemFactory,
    AttendanceFactory,
    CommitmentFactory,
    DeliverableFactory,
    EngagementEventFactory,
    FeedbackSurveyFactory,
    FundingCommitmentFactory,
    InitiativeFactory,
    InitiativePartnerFactory,
    ParticipationFactory,
    ReadinessItemFactory,
    ReflectionNoteFactory,
    RiskFactory,
    StoryFactory,
    StoryFeatureFactory,
    TeamFactory,
    TeamMemberFactory,
)

# What makes one object of each kind in an organization: the factory, and its path to the
# organization.
_MADE_IN = {
    "initiative_id": (InitiativeFactory, "organization"),
    "readiness_item_id": (ReadinessItemFactory, "initiative__organization"),
    "deliverable_id": (DeliverableFactory, "initiative__organization"),
    "action_item_id": (ActionItemFactory, "initiative__organization"),
    "team_id": (TeamFactory, "initiative__organization"),
    "team_member_id": (TeamMemberFactory, "team__initiative__organization"),
    "risk_id": (RiskFactory, "initiative__organization"),
    "initiative_partner_id": (InitiativePartnerFactory, "initiative__organization"),
    "funding_commitment_id": (FundingCommitmentFactory, "initiative__organization"),
    "participation_id": (ParticipationFactory, "initiative__organization"),
    "event_id": (EngagementEventFactory, "initiative__organization"),
    "attendance_id": (AttendanceFactory, "event__initiative__organization"),
    "commitment_id": (CommitmentFactory, "initiative__organization"),
    "story_id": (StoryFactory, "initiative__organization"),
    "story_feature_id": (StoryFeatureFactory, "story__initiative__organization"),
    "reflection_note_id": (ReflectionNoteFactory, "initiative__organization"),
}


def _maker(factory, path: str):
    return lambda org: factory(**{path: org}).pk


def _answered_survey_of_a_removed_commitment(org) -> int:
    """The survey walked is the one only its initiative still leads to."""
    survey = FeedbackSurveyFactory(
        commitment__initiative__organization=org, answered_at=timezone.now()
    )
    with scope(organization=org):
        commitment_remove(commitment=survey.commitment)
    return survey.pk


OBJECT_MAKERS = {key: _maker(factory, path) for key, (factory, path) in _MADE_IN.items()}
OBJECT_MAKERS["feedback_survey_id"] = _answered_survey_of_a_removed_commitment
