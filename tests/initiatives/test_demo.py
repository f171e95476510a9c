from django.core.management import call_command
from django.utils import timezone
from django_scopes import scopes_disabled

from initiatives.models import (
    ActionItem,
    Deliverable,
    FundingCommitment,
    Initiative,
    Phase,
    PhaseTransition,
    ReadinessItem,
    ReflectionNote,
    ReflectionVote,
    Risk,
    Team,
    TeamMember,
    WorkStatus,
)

MODELS = [
    Initiative,
    ReadinessItem,
    PhaseTransition,
    Deliverable,
    ActionItem,
    Team,
    TeamMember,
    Risk,
    FundingCommitment,
]


def counts(models=MODELS):
    with scopes_disabled():
        return {model.__name__: model.objects.count() for model in models}


def test_the_demo_gives_riverside_two_initiatives_in_different_phases_and_is_idempotent(db):
    call_command("seed_demo")
    first = counts()
    call_command("seed_demo")
    assert counts() == first
    with scopes_disabled():
        riverside = dict(
            Initiative.objects.filter(organization__slug="riverside").values_list("name", "phase")
        )
        assert riverside == {
            "Poverty Reduction Roundtable": Phase.ORGANIZE_FOR_IMPACT,
            "Ready for School: Early Years Partnership": Phase.INITIATE_ACTION,
        }
        assert Initiative.objects.filter(organization__slug="northbay").count() == 1
        roundtable = Initiative.objects.get(name="Poverty Reduction Roundtable")
        items = ReadinessItem.objects.filter(initiative=roundtable)
        assert 0 < items.filter(done_on__isnull=False).count() < items.count()
        assert roundtable.transitions.count() == 2
        assert roundtable.sponsor.name == "Riverside Community Foundation"
        assert set(roundtable.teams.values_list("kind", flat=True)) >= {
            "leadership_roundtable",
            "listening_team",
            "data_team",
            "action_team",
        }
        overdue = ActionItem.objects.filter(
            initiative=roundtable,
            due_date__lt=timezone.localdate(timezone=roundtable.organization.tzinfo),
        ).exclude(status=WorkStatus.DONE)
        assert overdue.exists()
        assert roundtable.funding_commitments.filter(amount=100000).exists()


def test_the_demo_engages_people_across_the_spectrum_and_is_idempotent(db):
    from initiatives.models import (
        Attendance,
        Commitment,
        EngagementEvent,
        FeedbackSurvey,
        LevelChange,
        Participation,
        Story,
        StoryFeature,
    )
    from stakeholders.models import Interaction

    engagement = [
        Participation,
        LevelChange,
        EngagementEvent,
        Attendance,
        Commitment,
        FeedbackSurvey,
        Story,
        StoryFeature,
        Interaction,
    ]
    call_command("seed_demo")
    first = counts(engagement)
    call_command("seed_demo")
    assert counts(engagement) == first
    with scopes_disabled():
        riverside = {"organization__slug": "riverside"}
        levels = set(Participation.objects.filter(**riverside).values_list("level", flat=True))
        assert levels == {"inform", "consult", "involve", "collaborate", "empower"}
        assert 5 <= EngagementEvent.objects.filter(**riverside).count() <= 8
        assert Attendance.objects.filter(**riverside).count() > 20
        assert 4 <= Commitment.objects.filter(**riverside).count() <= 6
        assert FeedbackSurvey.objects.filter(answered_at__isnull=False).count() == 1
        stories = Story.objects.filter(**riverside)
        assert 3 <= stories.count() <= 4
        assert stories.filter(published=False).count() == 1
        assert EngagementEvent.objects.filter(organization__slug="northbay").exists()


def test_the_demo_has_a_reflection_board_with_votes_and_a_kept_past_board(db):
    call_command("seed_demo")
    with scopes_disabled():
        notes = ReflectionNote.objects.filter(initiative__name="Poverty Reduction Roundtable")
        assert {n.question for n in notes} == {"challenging", "missing", "working"}
        assert ReflectionVote.objects.filter(note__in=notes).count() >= 5
        assert PhaseTransition.objects.exclude(reflections=[]).exists()
        before = notes.count()
    call_command("seed_demo")
    with scopes_disabled():
        assert ReflectionNote.objects.count() == before
