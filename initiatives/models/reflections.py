"""The reflection board of an initiative's current phase: the workshop's three questions
(what is challenging, what is missing, what works well), answered in notes that the
backbone and the roundtable add and vote on. A phase transition keeps the board in its
record (`PhaseTransition.reflections`) and the next phase starts with a fresh one."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from backbone.models import TenantModel

from .initiative import InInitiative, Initiative, Phase, PhaseTransition


class ReflectionQuestion(models.TextChoices):
    CHALLENGING = "challenging", _("What is challenging?")
    MISSING = "missing", _("What is missing?")
    WORKING = "working", _("What works well?")


class ReflectionNote(InInitiative, TenantModel):
    """One note on the board. Once its phase is over it stays, tied to the transition
    that closed its board (and copied into that transition's record)."""

    initiative = models.ForeignKey(
        Initiative, on_delete=models.CASCADE, related_name="reflection_notes"
    )
    phase = models.CharField(_("phase"), max_length=30, choices=Phase.choices)
    question = models.CharField(_("question"), max_length=20, choices=ReflectionQuestion.choices)
    text = models.TextField(_("note"), max_length=1000)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    author_name = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    closed_by = models.ForeignKey(
        PhaseTransition,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="reflection_notes",
    )

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return self.text[:60]


class ReflectionVote(TenantModel):
    """One person's vote for a note: at most one each, given and taken back."""

    note = models.ForeignKey(ReflectionNote, on_delete=models.CASCADE, related_name="votes")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reflection_votes"
    )

    @property
    def read_only_reason(self) -> str:
        return self.note.read_only_reason

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["note", "user"], name="one_vote_per_person_per_note")
        ]
