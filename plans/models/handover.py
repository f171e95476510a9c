"""The handover report of an initiative (see `plans.handover`): one PDF per request, made
by a job, kept so the team that takes over finds what it was handed."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from backbone.models import TenantModel
from initiatives.models import InInitiative, Initiative


class HandoverReport(InInitiative, TenantModel):
    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting")
        READY = "ready", _("Ready")
        FAILED = "failed", _("Failed")

    initiative = models.ForeignKey(
        Initiative, on_delete=models.CASCADE, related_name="handover_reports"
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    file = models.FileField(upload_to="plans/handover/", blank=True)
    pages = models.PositiveIntegerField(null=True, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    requested_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)
    error = models.TextField(blank=True)

    class Meta:
        ordering = ["-requested_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.initiative} · {self.requested_at:%Y-%m-%d}"
