"""How the isolation test makes this app's objects (see tests/test_isolation.py)."""

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
    RiskFactory,
    StoryFactory,
    StoryFeatureFactory,
    TeamFactory,
    TeamMemberFactory,
)

OBJECT_MAKERS = {
    "initiative_id": lambda org: InitiativeFactory(organization=org).pk,
    "readiness_item_id": lambda org: ReadinessItemFactory(initiative__organization=org).pk,
    "deliverable_id": lambda org: DeliverableFactory(initiative__organization=org).pk,
    "action_item_id": lambda org: ActionItemFactory(initiative__organization=org).pk,
    "team_id": lambda org: TeamFactory(initiative__organization=org).pk,
    "team_member_id": lambda org: TeamMemberFactory(team__initiative__organization=org).pk,
    "risk_id": lambda org: RiskFactory(initiative__organization=org).pk,
    "initiative_partner_id": lambda org: InitiativePartnerFactory(initiative__organization=org).pk,
    "funding_commitment_id": lambda org: FundingCommitmentFactory(initiative__organization=org).pk,
    "participation_id": lambda org: ParticipationFactory(initiative__organization=org).pk,
    "event_id": lambda org: EngagementEventFactory(initiative__organization=org).pk,
    "attendance_id": lambda org: AttendanceFactory(event__initiative__organization=org).pk,
    "commitment_id": lambda org: CommitmentFactory(initiative__organization=org).pk,
    "feedback_survey_id": lambda org: (
        FeedbackSurveyFactory(commitment__initiative__organization=org).pk
    ),
    "story_id": lambda org: StoryFactory(initiative__organization=org).pk,
    "story_feature_id": lambda org: StoryFeatureFactory(story__initiative__organization=org).pk,
}
