import datetime
from decimal import Decimal

import factory
from django.utils import timezone

from initiatives.models import (
    ActionItem,
    Attendance,
    Commitment,
    Component,
    Deliverable,
    EngagementEvent,
    EventKind,
    FeedbackSurvey,
    FundingCommitment,
    Initiative,
    InitiativePartner,
    Participation,
    Phase,
    ReadinessItem,
    ReflectionNote,
    ReflectionQuestion,
    ReflectionVote,
    Risk,
    RiskLevel,
    Story,
    StoryFeature,
    Team,
    TeamKind,
    TeamMember,
)

from ..factories import OrganizationFactory, ScopeFreeFactory
from ..stakeholders.factories import ContactFactory, PartnerFactory


class InitiativeFactory(ScopeFreeFactory):
    class Meta:
        model = Initiative

    organization = factory.SubFactory(OrganizationFactory)
    name = factory.Sequence(lambda n: f"Poverty Reduction Roundtable {2027 + n}")
    issue = "Reduce poverty in the region"
    start_date = datetime.date(2027, 1, 15)


class InitiativePartnerFactory(ScopeFreeFactory):
    class Meta:
        model = InitiativePartner

    initiative = factory.SubFactory(InitiativeFactory)
    organization = factory.SelfAttribute("initiative.organization")
    partner = factory.SubFactory(
        PartnerFactory, organization=factory.SelfAttribute("..organization")
    )


class ReadinessItemFactory(ScopeFreeFactory):
    class Meta:
        model = ReadinessItem

    initiative = factory.SubFactory(InitiativeFactory)
    organization = factory.SelfAttribute("initiative.organization")
    phase = Phase.PRE_LAUNCH
    component = Component.GOVERNANCE
    text = factory.Sequence(lambda n: f"Readiness item {n}")


class DeliverableFactory(ScopeFreeFactory):
    class Meta:
        model = Deliverable

    initiative = factory.SubFactory(InitiativeFactory)
    organization = factory.SelfAttribute("initiative.organization")
    title = factory.Sequence(lambda n: f"Deliverable {n}")


class ActionItemFactory(ScopeFreeFactory):
    class Meta:
        model = ActionItem

    initiative = factory.SubFactory(InitiativeFactory)
    organization = factory.SelfAttribute("initiative.organization")
    title = factory.Sequence(lambda n: f"Action {n}")
    lead = factory.SubFactory(ContactFactory, organization=factory.SelfAttribute("..organization"))


class TeamFactory(ScopeFreeFactory):
    class Meta:
        model = Team

    initiative = factory.SubFactory(InitiativeFactory)
    organization = factory.SelfAttribute("initiative.organization")
    kind = TeamKind.ACTION_TEAM
    name = factory.Sequence(lambda n: f"Action team {n}")
    chair = factory.SubFactory(ContactFactory, organization=factory.SelfAttribute("..organization"))


class TeamMemberFactory(ScopeFreeFactory):
    class Meta:
        model = TeamMember

    team = factory.SubFactory(TeamFactory)
    organization = factory.SelfAttribute("team.organization")
    contact = factory.SubFactory(
        ContactFactory, organization=factory.SelfAttribute("..organization")
    )


class RiskFactory(ScopeFreeFactory):
    class Meta:
        model = Risk

    initiative = factory.SubFactory(InitiativeFactory)
    organization = factory.SelfAttribute("initiative.organization")
    description = factory.Sequence(lambda n: f"Risk {n}")
    likelihood = RiskLevel.MEDIUM
    impact = RiskLevel.MEDIUM
    owner = factory.SubFactory(ContactFactory, organization=factory.SelfAttribute("..organization"))


class FundingCommitmentFactory(ScopeFreeFactory):
    class Meta:
        model = FundingCommitment

    initiative = factory.SubFactory(InitiativeFactory)
    organization = factory.SelfAttribute("initiative.organization")
    funder = factory.SubFactory(
        PartnerFactory, organization=factory.SelfAttribute("..organization")
    )
    amount = Decimal("20000")
    first_year = 2027
    last_year = 2027


class ParticipationFactory(ScopeFreeFactory):
    class Meta:
        model = Participation

    initiative = factory.SubFactory(InitiativeFactory)
    organization = factory.SelfAttribute("initiative.organization")
    contact = factory.SubFactory(
        ContactFactory, organization=factory.SelfAttribute("..organization")
    )


class EngagementEventFactory(ScopeFreeFactory):
    class Meta:
        model = EngagementEvent

    initiative = factory.SubFactory(InitiativeFactory)
    organization = factory.SelfAttribute("initiative.organization")
    kind = EventKind.COMMUNITY_CONVERSATION
    title = factory.Sequence(lambda n: f"Community conversation {n}")
    starts_at = factory.LazyFunction(lambda: timezone.now() - datetime.timedelta(days=7))
    place = "Central library"


class AttendanceFactory(ScopeFreeFactory):
    class Meta:
        model = Attendance

    event = factory.SubFactory(EngagementEventFactory)
    organization = factory.SelfAttribute("event.organization")
    contact = factory.SubFactory(
        ContactFactory, organization=factory.SelfAttribute("..organization")
    )
    name = factory.SelfAttribute("contact.full_name")


class CommitmentFactory(ScopeFreeFactory):
    class Meta:
        model = Commitment

    initiative = factory.SubFactory(InitiativeFactory)
    organization = factory.SelfAttribute("initiative.organization")
    partner = factory.SubFactory(
        PartnerFactory, organization=factory.SelfAttribute("..organization")
    )
    signed_by = factory.SubFactory(
        ContactFactory,
        organization=factory.SelfAttribute("..organization"),
        partner=factory.SelfAttribute("..partner"),
    )
    signed_on = datetime.date(2027, 3, 1)
    money = Decimal("5000")


class FeedbackSurveyFactory(ScopeFreeFactory):
    class Meta:
        model = FeedbackSurvey

    commitment = factory.SubFactory(CommitmentFactory)
    organization = factory.SelfAttribute("commitment.organization")
    initiative = factory.SelfAttribute("commitment.initiative")
    partner_name = factory.SelfAttribute("commitment.partner.name")
    sent_to = factory.SelfAttribute("commitment.signed_by")
    expires_at = factory.LazyFunction(lambda: timezone.now() + datetime.timedelta(days=30))


class StoryFactory(ScopeFreeFactory):
    class Meta:
        model = Story

    initiative = factory.SubFactory(InitiativeFactory)
    organization = factory.SelfAttribute("initiative.organization")
    title = factory.Sequence(lambda n: f"Story of change {n}")
    text = "Maria found work through the **job fair**."


class StoryFeatureFactory(ScopeFreeFactory):
    class Meta:
        model = StoryFeature

    story = factory.SubFactory(StoryFactory)
    organization = factory.SelfAttribute("story.organization")
    contact = factory.SubFactory(
        ContactFactory, organization=factory.SelfAttribute("..organization")
    )


class ReflectionNoteFactory(ScopeFreeFactory):
    class Meta:
        model = ReflectionNote

    initiative = factory.SubFactory(InitiativeFactory)
    organization = factory.SelfAttribute("initiative.organization")
    phase = factory.SelfAttribute("initiative.phase")
    question = ReflectionQuestion.CHALLENGING
    text = factory.Sequence(lambda n: f"Note {n}: partners meet too rarely")
    author_name = "Ada Lovelace"


class ReflectionVoteFactory(ScopeFreeFactory):
    class Meta:
        model = ReflectionVote

    note = factory.SubFactory(ReflectionNoteFactory)
    organization = factory.SelfAttribute("note.organization")
