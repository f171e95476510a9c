"""The yearly backbone effectiveness review: partners, funders and community members say,
through a one-time link, how well the backbone performs each of its six core functions
(the evaluation practice of FSG with the Greater Cincinnati Foundation), and answer the
workshop's three questions. The backbone adds its own self-assessment and its response."""

import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from backbone.models import TenantModel
from initiatives.models import Initiative
from stakeholders.models import Contact

# Fewer answers than this and no figure nor comment is shown: they would point at people.
MIN_ANSWERS = 3


class BackboneFunction(models.TextChoices):
    """The six core functions of a backbone organization (seed 000)."""

    VISION = "vision", _("Guide vision and strategy")
    ACTIVITIES = "activities", _("Support aligned activities")
    MEASUREMENT = "measurement", _("Establish shared measurement practices")
    PUBLIC_WILL = "public_will", _("Build public will")
    POLICY = "policy", _("Advance policy")
    RESOURCES = "resources", _("Mobilize resources")


RATINGS = (1, 2, 3, 4, 5)


def new_review_token() -> str:
    return secrets.token_urlsafe(32)


class Review(TenantModel):
    """One year's review, of the whole organization (no initiative) or of one initiative."""

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        CLOSED = "closed", _("Closed")

    class PdfStatus(models.TextChoices):
        NONE = "", _("Not made yet")
        RENDERING = "rendering", _("Being made")
        READY = "ready", _("Ready")
        FAILED = "failed", _("Failed")

    initiative = models.ForeignKey(
        Initiative,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="reviews",
        verbose_name=_("initiative"),
        help_text=_("Leave empty to review the backbone across the whole organization."),
    )
    year = models.PositiveSmallIntegerField(_("year"))
    anonymous = models.BooleanField(
        _("anonymous"),
        default=True,
        help_text=_("Answers are never linked to the person who gave them."),
    )
    closes_on = models.DateField(_("answers until"))
    asked_by = models.CharField(
        _("who asks"), max_length=200, help_text=_("A name and role, shown on the link page.")
    )
    message = models.TextField(
        _("why we ask"), help_text=_("Shown on the link page and in the e-mail.")
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    opened_at = models.DateTimeField(default=timezone.now)
    closed_at = models.DateTimeField(null=True, blank=True)
    response = models.TextField(
        _("What we will change"),
        blank=True,
        help_text=_("The backbone's response to what it heard, shown with the results."),
    )
    pdf = models.FileField(upload_to="plans/reviews/", blank=True)
    pdf_status = models.CharField(
        max_length=10, choices=PdfStatus.choices, default=PdfStatus.NONE, blank=True
    )

    class Meta:
        ordering = ["-year", "-id"]

    def __str__(self) -> str:
        return f"{self.year} · {self.scope_name}"

    @property
    def scope_name(self) -> str:
        return self.initiative.name if self.initiative_id else str(_("Whole organization"))

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.OPEN


class ReviewRespondent(TenantModel):
    """Someone asked to answer: a member (partner user or roundtable) or a registry contact.
    The token is random and works once, while the review is open and until its closing date."""

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="respondents")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    contact = models.ForeignKey(
        Contact, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    name = models.CharField(_("name"), max_length=200)
    email = models.EmailField(_("e-mail"))
    role = models.CharField(_("asked as"), max_length=100, blank=True)
    token = models.CharField(max_length=64, unique=True, default=new_review_token, editable=False)
    sent_at = models.DateTimeField(null=True, blank=True)
    mailed_at = models.DateTimeField(null=True, blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["name", "id"]
        constraints = [
            models.UniqueConstraint(fields=["review", "email"], name="one_link_per_address")
        ]

    def __str__(self) -> str:
        return f"{self.name} <{self.email}>"


class ReviewAnswer(TenantModel):
    """One filled questionnaire. In an anonymous review it keeps no link to the respondent,
    no name and no time (the link records only that it was used); a self-assessment names
    the staff member who gave it."""

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="answers")
    respondent = models.OneToOneField(
        ReviewRespondent,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="answer",
    )
    respondent_name = models.CharField(max_length=200, blank=True)
    is_self_assessment = models.BooleanField(default=False)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    answered_at = models.DateTimeField(null=True, blank=True)
    # {function: 1..5, or None for "don't know"} and {function: comment}.
    ratings = models.JSONField(default=dict)
    comments = models.JSONField(default=dict)
    archive_json_ids = {"ratings": {}, "comments": {}}  # keyed by function (backbone.archive_ids)
    challenging = models.TextField(_("What is challenging?"), blank=True)
    missing = models.TextField(_("What is missing?"), blank=True)
    working = models.TextField(_("What works well?"), blank=True)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(
                fields=["review", "author"],
                condition=models.Q(is_self_assessment=True),
                name="one_self_assessment_per_person",
            )
        ]

    def __str__(self) -> str:
        return f"{self.review} · {self.pk}"
