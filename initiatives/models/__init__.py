"""An initiative and what happens in it, one module per noun."""

from .commitments import Commitment
from .events import Attendance, EngagementEvent, EventKind
from .initiative import PHASE_ORDER, InInitiative, Initiative, Phase, PhaseTransition, phase_number
from .people import (
    PARTICIPATION_EDITED,
    EngagementLevel,
    InitiativePartner,
    LevelChange,
    ParticipantRole,
    Participation,
    ParticipationRole,
    PartnerRole,
)
from .readiness import Component, ReadinessItem
from .reflections import ReflectionNote, ReflectionQuestion, ReflectionVote
from .rows import (
    LEVEL_SCORE,
    ActionItem,
    Deliverable,
    FundingCommitment,
    FundingKind,
    FundingStatus,
    Risk,
    RiskLevel,
    RiskStatus,
    Team,
    TeamKind,
    TeamMember,
    WorkStatus,
)
from .stories import STORY_EDITED, Story, StoryFeature
from .surveys import CollaborationAnswer, FeedbackSurvey

__all__ = [
    "LEVEL_SCORE",
    "PHASE_ORDER",
    "ActionItem",
    "Attendance",
    "CollaborationAnswer",
    "Commitment",
    "Component",
    "Deliverable",
    "EngagementEvent",
    "EngagementLevel",
    "EventKind",
    "FeedbackSurvey",
    "FundingCommitment",
    "FundingKind",
    "FundingStatus",
    "InInitiative",
    "Initiative",
    "InitiativePartner",
    "LevelChange",
    "ParticipantRole",
    "Participation",
    "ParticipationRole",
    "PartnerRole",
    "Phase",
    "PhaseTransition",
    "ReadinessItem",
    "ReflectionNote",
    "ReflectionQuestion",
    "ReflectionVote",
    "Risk",
    "RiskLevel",
    "RiskStatus",
    "Story",
    "StoryFeature",
    "PARTICIPATION_EDITED",
    "STORY_EDITED",
    "Team",
    "TeamKind",
    "TeamMember",
    "WorkStatus",
    "phase_number",
]
