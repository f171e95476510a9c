"""The readiness matrix: checklist items per phase and component of success."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from backbone.models import TenantModel

from .initiative import InInitiative, Initiative, Phase


class Component(models.TextChoices):
    """The four components of success (rows of the readiness matrix)."""

    GOVERNANCE = "governance", _("Governance and infrastructure")
    STRATEGIC_PLANNING = "strategic_planning", _("Strategic planning")
    COMMUNITY_INVOLVEMENT = "community_involvement", _("Community involvement")
    EVALUATION = "evaluation", _("Evaluation and improvement")


class ReadinessItem(InInitiative, TenantModel):
    """One checklist item in a cell (phase × component) of the readiness matrix."""

    initiative = models.ForeignKey(
        Initiative, on_delete=models.CASCADE, related_name="readiness_items"
    )
    phase = models.CharField(_("phase"), max_length=30, choices=Phase.choices)
    component = models.CharField(_("component"), max_length=30, choices=Component.choices)
    text = models.CharField(_("item"), max_length=300)
    position = models.PositiveIntegerField(default=0)
    done_on = models.DateField(_("done on"), null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    evidence = models.CharField(
        _("evidence"),
        max_length=500,
        blank=True,
        help_text=_("A note or a link that shows it is done."),
    )

    class Meta:
        ordering = ["phase", "component", "position", "id"]
        # The dashboard counts each initiative's items of its current phase.
        indexes = [models.Index(fields=["initiative", "phase"], name="readiness_by_phase")]

    def __str__(self) -> str:
        return self.text

    @property
    def is_done(self) -> bool:
        return self.done_on is not None
