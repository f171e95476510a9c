"""Report cards: an initiative's progress over a six-monthly or annual period.

A draft is assembled from live tables each time it is shown; issuing stores the
assembled data as JSON (`snapshot`) and from then on the card is rendered from
that snapshot only, so a later correction of a value never changes it. Once
issued, only the PDF and the public link may still be written.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_scopes import ScopedManager

from backbone.models import TenantModel
from initiatives.models import InInitiative, Initiative


class Cadence(models.TextChoices):
    SEMI_ANNUAL = "semi_annual", _("Every six months")
    ANNUAL = "annual", _("Every year")


class ReportCardFrozenError(ValidationError):
    def __init__(self, message=None):
        super().__init__(
            message or _("This report card was issued and is frozen: it can never be changed.")
        )


# What may still change on an issued card: its PDF and its public link.
AFTER_ISSUE_FIELDS = frozenset(
    {
        "pdf",
        "pdf_status",
        "pdf_pages",
        "pdf_error",
        "pdf_hash",
        "public_token",
        "published_at",
        "notified_at",
    }
)


class ReportCardQuerySet(models.QuerySet):
    """Bulk writes can't reach around the freeze either."""

    def update(self, **kwargs):
        if (
            set(kwargs) - AFTER_ISSUE_FIELDS
            and self.filter(status=ReportCard.Status.ISSUED).exists()
        ):
            raise ReportCardFrozenError()
        return super().update(**kwargs)

    def delete(self):
        if self.filter(status=ReportCard.Status.ISSUED).exists():
            raise ReportCardFrozenError()
        return super().delete()


class ReportCard(InInitiative, TenantModel):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        ISSUED = "issued", _("Issued")

    class PdfStatus(models.TextChoices):
        NONE = "", _("Not made")
        PENDING = "pending", _("Waiting")
        RENDERING = "rendering", _("Rendering")
        READY = "ready", _("Ready")
        FAILED = "failed", _("Failed")

    initiative = models.ForeignKey(
        Initiative, on_delete=models.CASCADE, related_name="report_cards"
    )
    period = models.CharField(
        _("period"),
        max_length=10,
        help_text=_("Six months (“2027-H1”, “2027-H2”) or a year (“2027”)."),
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    narrative = models.TextField(
        _("narrative"),
        blank=True,
        help_text=_("A short story of the period, in Markdown: what moved, what we learned."),
    )
    snapshot = models.JSONField(null=True, blank=True, editable=False)
    # What the card showed (plans.selectors.report_card.assemble): names, figures and
    # inline charts, no ids nor files (see backbone.archive_ids).
    archive_json_ids = {"snapshot": {}}
    drafted_by_schedule = models.BooleanField(default=False)
    notified_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    issued_at = models.DateTimeField(_("issued"), null=True, blank=True)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    pdf = models.FileField(upload_to="plans/report-cards/", blank=True)
    pdf_status = models.CharField(
        max_length=10, choices=PdfStatus.choices, default=PdfStatus.NONE, blank=True
    )
    pdf_pages = models.PositiveIntegerField(null=True, blank=True)
    pdf_error = models.TextField(blank=True)
    # A draft's PDF is made on demand and kept while the draft's data stays the same.
    pdf_hash = models.CharField(max_length=64, blank=True)
    # The public link: a random token (secrets.token_urlsafe(32), 256 bits); blank = not public.
    public_token = models.CharField(max_length=64, null=True, blank=True, unique=True)
    published_at = models.DateTimeField(null=True, blank=True)

    objects = ScopedManager(
        _manager_class=models.Manager.from_queryset(ReportCardQuerySet),
        organization="organization",
    )

    class Meta:
        ordering = ["initiative", "-period"]
        constraints = [
            models.UniqueConstraint(
                fields=["initiative", "period"], name="one_report_card_per_period"
            ),
            models.CheckConstraint(
                condition=models.Q(status="draft")
                | (models.Q(snapshot__isnull=False) & models.Q(issued_at__isnull=False)),
                name="issued_report_card_has_snapshot",
            ),
        ]

    def __str__(self) -> str:
        return str(
            _("Report card %(period)s of %(initiative)s")
            % {"period": self.period, "initiative": self.initiative}
        )

    @property
    def is_issued(self) -> bool:
        return self.status == self.Status.ISSUED

    @property
    def is_public(self) -> bool:
        return bool(self.public_token)

    def was_issued(self) -> bool:
        if self.pk is None:
            return False
        return ReportCard._base_manager.filter(pk=self.pk, status=self.Status.ISSUED).exists()

    def save(self, *args, **kwargs) -> None:
        update_fields = kwargs.get("update_fields")
        if self.was_issued() and (
            update_fields is None or not set(update_fields) <= AFTER_ISSUE_FIELDS
        ):
            raise ReportCardFrozenError()
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        if self.was_issued():
            raise ReportCardFrozenError()
        return super().delete(*args, **kwargs)


class ReportCardSchedule(InInitiative, TenantModel):
    """An initiative asks for a report card every six months or every year."""

    initiative = models.OneToOneField(
        Initiative, on_delete=models.CASCADE, related_name="report_card_schedule"
    )
    cadence = models.CharField(_("report cards"), max_length=20, choices=Cadence.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"{self.initiative}: {self.get_cadence_display()}"
