"""Writes on the reflection board of a phase: add a note, vote (toggle), and keep the
board in the transition record when the phase changes."""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count
from django.utils.translation import gettext as _

from backbone.models import User

from ..models import (
    Initiative,
    PhaseTransition,
    ReflectionNote,
    ReflectionQuestion,
    ReflectionVote,
)


@transaction.atomic
def reflection_note_add(
    *, initiative: Initiative, question: str, text: str, by: User
) -> ReflectionNote:
    """A note on the board of the initiative's current phase."""
    text = text.strip()
    if question not in ReflectionQuestion.values:
        raise ValidationError({"question": _("Choose one of the three questions.")})
    if not text:
        raise ValidationError({"text": _("Write the note.")})
    return ReflectionNote.objects.create(
        organization_id=initiative.organization_id,
        initiative=initiative,
        phase=initiative.phase,
        question=question,
        text=text,
        author=by,
        author_name=by.display_name,
    )


@transaction.atomic
def reflection_vote_toggle(*, note: ReflectionNote, by: User) -> bool:
    """Give the person's vote to the note, or take it back; True when they now vote for it.
    A note of a past phase's board takes no more votes."""
    if note.closed_by_id is not None:
        raise ValidationError(_("This board belongs to a past phase: it is kept as it was."))
    deleted, _rows = ReflectionVote.objects.filter(note=note, user=by).delete()
    if deleted:
        return False
    try:
        with transaction.atomic():
            ReflectionVote.objects.create(organization_id=note.organization_id, note=note, user=by)
    except IntegrityError:  # a double click: the vote is already there
        pass
    return True


def reflections_snapshot(*, initiative: Initiative, transition: PhaseTransition) -> None:
    """Copy the current board (notes and their votes) into the transition record and close
    it, so the next phase starts with a fresh board. Called inside the phase change."""
    notes = list(
        ReflectionNote.objects.filter(initiative=initiative, closed_by__isnull=True)
        .annotate(vote_count=Count("votes"))
        .order_by("question", "-vote_count", "created_at", "id")
    )
    transition.reflections = [
        {
            "question": note.question,
            "phase": note.phase,
            "text": note.text,
            "author": note.author_name,
            "votes": note.vote_count,
        }
        for note in notes
    ]
    transition.save(update_fields=["reflections"])
    ReflectionNote.objects.filter(pk__in=[n.pk for n in notes]).update(closed_by=transition)
