"""Forms of the initiatives app, one module per noun."""

from .commitments import CommitmentForm
from .events import AttendeeForm, EventForm, WalkInForm
from .initiative import (
    DATE,
    ContactChoiceField,
    InitiativeFilterForm,
    InitiativeForm,
    OrganizationRowForm,
    PhaseChangeForm,
    scoped_formfield,
)
from .people import (
    InitiativePartnerForm,
    ParticipationAddForm,
    ParticipationForm,
    PeopleFilterForm,
)
from .readiness import ReadinessItemForm, ReadinessItemTextForm, ReadinessTickForm
from .reflections import ReflectionNoteForm
from .rows import (
    ActionItemForm,
    DeliverableForm,
    FundingCommitmentForm,
    RiskForm,
    SponsorForm,
    TeamForm,
    TeamMemberForm,
    team_member_contacts,
)
from .stories import StoryForm
from .surveys import SurveyForm

__all__ = [
    "DATE",
    "ActionItemForm",
    "AttendeeForm",
    "CommitmentForm",
    "ContactChoiceField",
    "DeliverableForm",
    "ReflectionNoteForm",
    "EventForm",
    "FundingCommitmentForm",
    "InitiativeFilterForm",
    "InitiativeForm",
    "InitiativePartnerForm",
    "OrganizationRowForm",
    "ParticipationAddForm",
    "ParticipationForm",
    "PeopleFilterForm",
    "PhaseChangeForm",
    "ReadinessItemForm",
    "ReadinessItemTextForm",
    "ReadinessTickForm",
    "RiskForm",
    "SponsorForm",
    "StoryForm",
    "SurveyForm",
    "TeamForm",
    "TeamMemberForm",
    "team_member_contacts",
    "WalkInForm",
    "scoped_formfield",
]
