"""The yearly partner feedback survey of a commitment."""

import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from backbone.models import TenantModel
from stakeholders.models import Contact

from .commitments import Commitment
from .initiative import InInitiative, Initiative


def new_survey_token() -> str:
    return secrets.token_urlsafe(32)


class CollaborationAnswer(models.TextChoices):
    YES = "yes", _("Yes")
    SOMEWHAT = "somewhat", _("Somewhat")
    NO = "no", _("No")


class FeedbackSurvey(InInitiative, TenantModel):
    """The yearly partner feedback survey of a commitment, answered through a link without
    an account. The token is random and unguessable; it works once and until it expires."""

    # An answered survey outlives its commitment: removing the commitment keeps the
    # answers under the initiative, with the partner's name as it was.
    commitment = models.ForeignKey(
        Commitment, null=True, blank=True, on_delete=models.SET_NULL, related_name="surveys"
    )
    initiative = models.ForeignKey(
        Initiative, on_delete=models.CASCADE, related_name="feedback_surveys"
    )
    partner_name = models.CharField(_("partner"), max_length=200, blank=True)
    token = models.CharField(max_length=64, unique=True, default=new_survey_token, editable=False)
    sent_to = models.ForeignKey(
        Contact,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="feedback_surveys",
        verbose_name=_("sent to"),
    )
    sent_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    answered_at = models.DateTimeField(null=True, blank=True)
    # The answers (questions from phase IV of "The First 12 Months").
    activities = models.TextField(
        _("What did your organization do in the initiative this year?"), blank=True
    )
    collaboration_increased = models.CharField(
        _("Has collaboration between partners increased?"),
        max_length=10,
        blank=True,
        choices=CollaborationAnswer.choices,
    )
    collaboration_examples = models.TextField(_("Tell us how (or why not)"), blank=True)
    resources_committed = models.TextField(
        _("Which resources will your organization commit next year?"), blank=True
    )
    work_differently = models.TextField(
        _("Are you working differently because of the initiative?"), blank=True
    )
    suggestions = models.TextField(_("What should the backbone do differently?"), blank=True)

    class Meta:
        ordering = ["-sent_at", "-id"]

    def __str__(self) -> str:
        return f"{self.partner_name} · {self.initiative} · {self.sent_at:%Y-%m-%d}"

    @property
    def is_answered(self) -> bool:
        return self.answered_at is not None

    @property
    def is_expired(self) -> bool:
        return timezone.now() >= self.expires_at
