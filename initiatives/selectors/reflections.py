"""Reads of the reflection board: the current phase's notes, by question, with votes."""

from dataclasses import dataclass, field

from django.db.models import Count, Exists, OuterRef, QuerySet

from backbone.models import Membership, User

from ..models import Initiative, ReflectionNote, ReflectionQuestion, ReflectionVote
from .initiative import rows_visible_to


def reflection_notes_visible_to(membership: Membership) -> QuerySet[ReflectionNote]:
    return rows_visible_to(membership, ReflectionNote)


@dataclass
class BoardColumn:
    question: ReflectionQuestion
    notes: list = field(default_factory=list)


def reflection_board(initiative: Initiative, *, user: User) -> list[BoardColumn]:
    """The three questions of the current board, each with its notes (most votes first),
    each note knowing its vote count and whether `user` voted: one query."""
    columns = {q: BoardColumn(question=ReflectionQuestion(q)) for q in ReflectionQuestion.values}
    notes = (
        ReflectionNote.objects.filter(initiative=initiative, closed_by__isnull=True)
        .annotate(
            vote_count=Count("votes"),
            my_vote=Exists(ReflectionVote.objects.filter(note=OuterRef("pk"), user=user)),
        )
        .order_by("-vote_count", "created_at", "id")
    )
    for note in notes:
        columns[note.question].notes.append(note)
    return list(columns.values())


def past_board(reflections: list[dict]) -> list[tuple[str, list[dict]]]:
    """A transition's kept board, grouped by question in the board's order."""
    labels = dict(ReflectionQuestion.choices)
    return [
        (labels[q], [note for note in reflections if note["question"] == q])
        for q in ReflectionQuestion.values
        if any(note["question"] == q for note in reflections)
    ]
