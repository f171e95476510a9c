"""Demo reflection board: the Poverty Reduction Roundtable's current phase has notes under
the three questions, with votes from the backbone and the roundtable; the board of the
phase before is kept in its transition."""

import datetime

from backbone.demo import DemoWorld

from ..models import Initiative, PhaseTransition, ReflectionNote, ReflectionQuestion, ReflectionVote

NOTES = [
    # question, text, author, who votes
    (ReflectionQuestion.CHALLENGING, "Partners report data late, so the dashboard lags a quarter.",
     "coordinator", ("admin", "roundtable")),
    (ReflectionQuestion.CHALLENGING, "Turnover at two partners means we keep re-explaining the "
     "common agenda.", "roundtable", ("coordinator",)),
    (ReflectionQuestion.MISSING, "Residents with lived experience on the data team.", "roundtable",
     ("admin", "coordinator", "roundtable")),
    (ReflectionQuestion.MISSING, "A funder for the second year of backbone staff.", "admin", ()),
    (ReflectionQuestion.WORKING, "Monthly action-team huddles keep strategies moving.",
     "coordinator", ("roundtable",)),
]  # fmt: skip

PAST_BOARD = [
    {"question": "challenging", "phase": "pre_launch", "votes": 3, "author": "Daniel Tremblay",
     "text": "Getting the City and the Chamber to the same table."},
    {"question": "missing", "phase": "pre_launch", "votes": 2, "author": "Margaret Whitehorse",
     "text": "Baseline data on child poverty by neighbourhood."},
    {"question": "working", "phase": "pre_launch", "votes": 4, "author": "Amara Okafor",
     "text": "Kitchen-table conversations drew people we had never reached."},
]  # fmt: skip


def seed_reflections(world: DemoWorld, today: datetime.date) -> None:
    riverside = world.organizations["riverside"]
    initiative = Initiative.objects.get(organization=riverside, name="Poverty Reduction Roundtable")
    users = {
        role: world.users[f"{role}@riverside.example"]
        for role in ("admin", "coordinator", "roundtable")
    }
    if ReflectionNote.objects.filter(initiative=initiative).exists():
        return
    for question, text, author, voters in NOTES:
        note = ReflectionNote.objects.create(
            organization=riverside,
            initiative=initiative,
            phase=initiative.phase,
            question=question,
            text=text,
            author=users[author],
            author_name=users[author].display_name,
        )
        for voter in voters:
            ReflectionVote.objects.create(organization=riverside, note=note, user=users[voter])
    first = PhaseTransition.objects.filter(initiative=initiative).order_by("at", "id").first()
    if first is not None and not first.reflections:
        first.reflections = PAST_BOARD
        first.save(update_fields=["reflections"])
    world.lines.append(
        "Reflections: the Poverty Reduction Roundtable's board has notes and votes; the "
        "board of its first phase is kept in its transition."
    )
