"""The weekly newsletter: an issue, its items, one delivery per recipient, and clicks."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from backbone.models import TenantModel
from backbone.stale import fingerprint
from initiatives.models import InInitiative, Initiative
from stakeholders.models import Contact


class Newsletter(TenantModel):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SCHEDULED = "scheduled", _("Scheduled")
        SENDING = "sending", _("Sending")
        SENT = "sent", _("Sent")
        # Sending stopped for a reason that would not go away by itself (see
        # `plans.services.delivery`); the issue can be edited and sent again.
        FAILED = "failed", _("Not sent")

    subject = models.CharField(_("subject"), max_length=200)
    introduction = models.TextField(
        _("introduction"), blank=True, help_text=_("Markdown. Opens the issue, above the items.")
    )
    week_of = models.DateField(
        _("week of"), help_text=_("The Monday of the week this issue was drafted for.")
    )
    covers_from = models.DateTimeField(_("covers from"))
    covers_until = models.DateTimeField(_("covers until"))
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.DRAFT)
    # Who hears about it: everyone who agreed, or narrowed by these.
    audience_initiative = models.ForeignKey(
        Initiative,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("only people of initiative"),
    )
    audience_sector = models.CharField(_("only sector"), max_length=20, blank=True)
    audience_tag = models.CharField(_("only tag"), max_length=60, blank=True)
    audience_role = models.CharField(
        _("only people in the role"),
        max_length=30,
        blank=True,
        help_text=_("Their role in an initiative (champion, roundtable, work group…)."),
    )
    scheduled_for = models.DateTimeField(_("send at"), null=True, blank=True)
    sending_started_at = models.DateTimeField(null=True, blank=True)
    send_error = models.TextField(_("why sending stopped"), blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    drafted_by_job = models.BooleanField(default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-week_of", "-created_at"]
        constraints = [
            # The weekly job drafts at most one issue per organization and week.
            models.UniqueConstraint(
                fields=["organization", "week_of"],
                condition=models.Q(drafted_by_job=True),
                name="one_weekly_draft_per_org_and_week",
            )
        ]

    def __str__(self) -> str:
        return self.subject

    @property
    def is_editable(self) -> bool:
        return self.status in (self.Status.DRAFT, self.Status.SCHEDULED, self.Status.FAILED)


EDITED_ITEM_FIELDS = ("title", "body", "url", "included")  # what its card edits


class NewsletterItem(TenantModel):
    class Kind(models.TextChoices):
        DATA = "data", _("New data")
        STORY = "story", _("Story")
        EVENT = "event", _("Event")
        MILESTONE = "milestone", _("Milestone")
        DELIVERABLE = "deliverable", _("Deliverable")
        PARTNER = "partner", _("New partner")
        COMMITMENT = "commitment", _("Commitment")
        NOTE = "note", _("Note")

    newsletter = models.ForeignKey(Newsletter, on_delete=models.CASCADE, related_name="items")
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.NOTE)
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("text"), blank=True, help_text=_("Markdown."))
    url = models.URLField(_("link"), blank=True)
    chart_svg = models.TextField(blank=True)
    position = models.PositiveIntegerField(default=0)
    included = models.BooleanField(_("included"), default=True)
    # What the item was drafted from ("partner:12"), so drafting twice adds nothing twice.
    source_key = models.CharField(max_length=100, blank=True)

    class Meta:
        ordering = ["position", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["newsletter", "source_key"],
                condition=~models.Q(source_key=""),
                name="one_item_per_source_per_newsletter",
            )
        ]

    @property
    def seen(self) -> str:
        """The fingerprint of what its edit form shows (see `backbone.stale`)."""
        return fingerprint(self, EDITED_ITEM_FIELDS)

    def __str__(self) -> str:
        return self.title


class Delivery(TenantModel):
    """One newsletter to one contact: created once, sent at most once."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting")
        SENDING = "sending", _("Sending")
        SENT = "sent", _("Delivered to the mail server")
        FAILED = "failed", _("Failed")
        SKIPPED = "skipped", _("Not sent (no consent)")

    newsletter = models.ForeignKey(Newsletter, on_delete=models.CASCADE, related_name="deliveries")
    # A sent issue stays sent when its reader is deleted from the registry: the row keeps
    # the address it went to, and the counts and clicks stay what they were.
    contact = models.ForeignKey(
        Contact, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    email = models.EmailField()
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    # Set by the worker that claimed the row, so concurrent workers never share one.
    claim = models.CharField(max_length=32, blank=True, db_index=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    error = models.TextField(blank=True)
    unsubscribed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["newsletter", "contact"], name="one_delivery_per_contact"
            )
        ]
        indexes = [
            models.Index(fields=["newsletter", "status"]),
            # The "unsubscribed" count reads this index alone.
            models.Index(
                fields=["newsletter"],
                condition=models.Q(unsubscribed_at__isnull=False),
                name="delivery_unsubscribed",
            ),
        ]
        verbose_name = _("newsletter delivery")
        verbose_name_plural = _("newsletter deliveries")

    def __str__(self) -> str:
        return f"{self.newsletter} → {self.email} ({self.status})"

    @property
    def message_id(self) -> str:
        domain = settings.DEFAULT_FROM_EMAIL.rsplit("@", 1)[-1].strip("> ") or "backbone.local"
        return f"<newsletter-{self.newsletter_id}.delivery-{self.pk}@{domain}>"


class LinkClick(TenantModel):
    delivery = models.ForeignKey(Delivery, on_delete=models.CASCADE, related_name="clicks")
    url = models.URLField(max_length=1000)
    clicked_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-clicked_at"]


class InitiativeOptOut(InInitiative, TenantModel):
    """A contact chose not to hear about one initiative (from the preferences page)."""

    contact = models.ForeignKey(Contact, on_delete=models.CASCADE, related_name="+")
    initiative = models.ForeignKey(Initiative, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["contact", "initiative"], name="one_opt_out_per_initiative"
            )
        ]
