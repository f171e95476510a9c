"""Engagement in an initiative: who takes part and how engaged they are, events and their
attendance, partners' commitments with the yearly feedback survey, and stories of change."""

import secrets
from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from backbone.models import TenantModel
from stakeholders.models import Contact, Partner

from . import Initiative, PartnerRole


class ParticipantRole(models.TextChoices):
    CHAMPION = "champion", _("Champion")
    ROUNDTABLE = "roundtable", _("Leadership roundtable")
    STEERING_COMMITTEE = "steering_committee", _("Steering committee")
    WORK_GROUP = "work_group", _("Work group member")
    AMBASSADOR = "ambassador", _("Ambassador")
    VOLUNTEER = "volunteer", _("Volunteer")


class EngagementLevel(models.TextChoices):
    """The spectrum of community engagement, from least to most shared power."""

    INFORM = "inform", _("Inform")
    CONSULT = "consult", _("Consult")
    INVOLVE = "involve", _("Involve")
    COLLABORATE = "collaborate", _("Collaborate")
    EMPOWER = "empower", _("Empower")


class Participation(TenantModel):
    """A person taking part in an initiative: in which roles, and how engaged they are."""

    initiative = models.ForeignKey(
        Initiative, on_delete=models.CASCADE, related_name="participations"
    )
    contact = models.ForeignKey(
        Contact, on_delete=models.CASCADE, related_name="participations", verbose_name=_("person")
    )
    level = models.CharField(
        _("engagement"),
        max_length=20,
        choices=EngagementLevel.choices,
        default=EngagementLevel.INFORM,
    )
    joined_on = models.DateField(_("since"), default=timezone.localdate)
    notes = models.CharField(_("notes"), max_length=300, blank=True)

    class Meta:
        ordering = ["contact__last_name", "contact__first_name", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["initiative", "contact"], name="one_participation_per_person"
            )
        ]

    def __str__(self) -> str:
        return f"{self.contact} · {self.initiative}"


class ParticipationRole(TenantModel):
    """One of the roles a participant holds (several are possible)."""

    participation = models.ForeignKey(Participation, on_delete=models.CASCADE, related_name="roles")
    role = models.CharField(_("role"), max_length=30, choices=ParticipantRole.choices)

    class Meta:
        ordering = ["role"]
        constraints = [
            models.UniqueConstraint(fields=["participation", "role"], name="one_role_once")
        ]

    def __str__(self) -> str:
        return self.get_role_display()


class LevelChange(TenantModel):
    """A change of a participant's engagement level: the history of how engaged they became."""

    participation = models.ForeignKey(
        Participation, on_delete=models.CASCADE, related_name="level_changes"
    )
    from_level = models.CharField(max_length=20, choices=EngagementLevel.choices, blank=True)
    to_level = models.CharField(max_length=20, choices=EngagementLevel.choices)
    at = models.DateTimeField(default=timezone.now)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-at", "-id"]


class EventKind(models.TextChoices):
    COMMUNITY_CONVERSATION = "community_conversation", _("Community conversation")
    LEARNING_EVENT = "learning_event", _("Learning event")
    KITCHEN_TABLE = "kitchen_table", _("Kitchen-table event")
    TOUR = "tour", _("Tour")
    BIG_EVENT = "big_event", _("Big event")


class EngagementEvent(TenantModel):
    """A gathering that builds community will: who came is its attendance."""

    initiative = models.ForeignKey(Initiative, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(_("kind"), max_length=30, choices=EventKind.choices)
    title = models.CharField(_("title"), max_length=200)
    starts_at = models.DateTimeField(_("date and time"))
    place = models.CharField(_("place"), max_length=200, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-starts_at", "-id"]

    def __str__(self) -> str:
        return self.title


class Attendance(TenantModel):
    event = models.ForeignKey(EngagementEvent, on_delete=models.CASCADE, related_name="attendances")
    contact = models.ForeignKey(
        Contact, on_delete=models.CASCADE, related_name="attendances", verbose_name=_("person")
    )
    walk_in = models.BooleanField(_("walk-in"), default=False)
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["contact__last_name", "contact__first_name", "id"]
        constraints = [
            models.UniqueConstraint(fields=["event", "contact"], name="attended_once_per_event")
        ]

    def __str__(self) -> str:
        return f"{self.contact} @ {self.event}"


class Commitment(TenantModel):
    """A partner signs on to an initiative, with the role it takes and the resources it brings."""

    initiative = models.ForeignKey(Initiative, on_delete=models.CASCADE, related_name="commitments")
    partner = models.ForeignKey(
        Partner, on_delete=models.CASCADE, related_name="+", verbose_name=_("partner")
    )
    role = models.CharField(
        _("role"), max_length=20, choices=PartnerRole.choices, default=PartnerRole.PARTNER
    )
    money = models.DecimalField(
        _("money per year"),
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0"))],
    )
    staff_hours = models.DecimalField(
        _("staff time (hours per month)"),
        max_digits=8,
        decimal_places=1,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0"))],
    )
    in_kind = models.CharField(
        _("in kind"),
        max_length=300,
        blank=True,
        help_text=_("e.g. “meeting space every month”, “printing”"),
    )
    signed_on = models.DateField(_("signed on"))
    signed_by = models.ForeignKey(
        Contact,
        on_delete=models.PROTECT,
        related_name="commitments_signed",
        verbose_name=_("signed by"),
        help_text=_("A person who works at the partner."),
    )
    renewal_on = models.DateField(_("renewal date"), null=True, blank=True)

    class Meta:
        ordering = ["partner__name", "-signed_on", "id"]

    def __str__(self) -> str:
        return f"{self.partner} · {self.initiative}"


def new_survey_token() -> str:
    return secrets.token_urlsafe(32)


class CollaborationAnswer(models.TextChoices):
    YES = "yes", _("Yes")
    SOMEWHAT = "somewhat", _("Somewhat")
    NO = "no", _("No")


class FeedbackSurvey(TenantModel):
    """The yearly partner feedback survey of a commitment, answered through a link without
    an account. The token is random and unguessable; it works once and until it expires."""

    commitment = models.ForeignKey(Commitment, on_delete=models.CASCADE, related_name="surveys")
    token = models.CharField(max_length=64, unique=True, default=new_survey_token, editable=False)
    sent_to = models.ForeignKey(
        Contact,
        on_delete=models.CASCADE,
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
        return f"{self.commitment} · {self.sent_at:%Y-%m-%d}"

    @property
    def is_answered(self) -> bool:
        return self.answered_at is not None

    @property
    def is_expired(self) -> bool:
        return timezone.now() >= self.expires_at


def story_photo_path(story: "Story", filename: str) -> str:
    return f"stories/{story.organization_id}/{secrets.token_hex(8)}-{filename[-80:]}"


class Story(TenantModel):
    """A short story of change; published only when everyone featured consented."""

    initiative = models.ForeignKey(Initiative, on_delete=models.CASCADE, related_name="stories")
    title = models.CharField(_("title"), max_length=200)
    text = models.TextField(_("story"), help_text=_("Markdown: **bold**, *italic*, lists, links."))
    photo = models.ImageField(_("photo"), upload_to=story_photo_path, blank=True)
    published = models.BooleanField(_("published"), default=False)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name_plural = _("stories")

    def __str__(self) -> str:
        return self.title


class StoryFeature(TenantModel):
    """A person featured in a story, and whether they agreed to it being told."""

    story = models.ForeignKey(Story, on_delete=models.CASCADE, related_name="features")
    contact = models.ForeignKey(
        Contact, on_delete=models.CASCADE, related_name="story_features", verbose_name=_("person")
    )
    consent_given = models.BooleanField(_("agreed to be featured"), default=False)
    consent_on = models.DateField(_("agreed on"), null=True, blank=True)

    class Meta:
        ordering = ["contact__last_name", "contact__first_name", "id"]
        constraints = [
            models.UniqueConstraint(fields=["story", "contact"], name="featured_once_per_story")
        ]

    def __str__(self) -> str:
        return f"{self.contact} in {self.story}"
