"""Who takes part in an initiative: partner organizations in a role, and people with
their roles and how engaged they are (and the history of that)."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from backbone.models import TenantModel
from stakeholders.models import Contact, Partner

from .initiative import InInitiative, Initiative


class PartnerRole(models.TextChoices):
    PARTNER = "partner", _("Partner")
    FUNDER = "funder", _("Funder")
    CHAMPION = "champion", _("Champion")
    SPONSOR = "sponsor", _("Sponsor / fiscal agent")


class InitiativePartner(InInitiative, TenantModel):
    """A partner organization taking part in an initiative, in a role.

    Partner users see the initiatives their partner takes part in.
    """

    initiative = models.ForeignKey(
        Initiative, on_delete=models.CASCADE, related_name="partner_links"
    )
    partner = models.ForeignKey(
        Partner,
        on_delete=models.CASCADE,
        related_name="initiative_links",
        verbose_name=_("partner"),
    )
    role = models.CharField(
        _("role"), max_length=20, choices=PartnerRole.choices, default=PartnerRole.PARTNER
    )
    joined_on = models.DateField(_("joined on"), null=True, blank=True)
    # The partner chose to be named among the partners on the initiative's public scorecard.
    listed_publicly = models.BooleanField(
        _("listed on the public scorecard"),
        default=False,
        help_text=_("The partner agreed to be named on the initiative's public scorecard."),
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["initiative", "partner", "role"], name="one_partner_role_per_initiative"
            )
        ]

    def __str__(self) -> str:
        return f"{self.partner} · {self.initiative} ({self.get_role_display()})"


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


# What a participation's edit form changes (its roles are rows of their own), fingerprinted
# to refuse a stale save (backbone.stale).
PARTICIPATION_EDITED = ("level", "notes")


class Participation(InInitiative, TenantModel):
    """A person taking part in an initiative: in which roles, and how engaged they are."""

    initiative = models.ForeignKey(
        Initiative, on_delete=models.CASCADE, related_name="participations"
    )
    # PROTECT: a person who takes part is removed from the initiative before they can be
    # deleted from the registry, so their engagement history is never erased by the way.
    contact = models.ForeignKey(
        Contact, on_delete=models.PROTECT, related_name="participations", verbose_name=_("person")
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

    @property
    def read_only_reason(self) -> str:
        return self.participation.read_only_reason


class LevelChange(InInitiative, TenantModel):
    """A change of a participant's engagement level: the history of how engaged they became.

    A fact about the past: it outlives the participation (the person removed from the
    initiative: taken back if they join again) and the person (deleted from the registry:
    the row keeps their name), as attendance does."""

    initiative = models.ForeignKey(
        Initiative, on_delete=models.CASCADE, related_name="level_changes"
    )
    participation = models.ForeignKey(
        Participation,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="level_changes",
    )
    contact = models.ForeignKey(
        Contact,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="level_changes",
        verbose_name=_("person"),
    )
    name = models.CharField(_("name"), max_length=201, blank=True)
    from_level = models.CharField(max_length=20, choices=EngagementLevel.choices, blank=True)
    to_level = models.CharField(max_length=20, choices=EngagementLevel.choices)
    at = models.DateTimeField(default=timezone.now)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("engagement level change")
        verbose_name_plural = _("engagement level changes")

    def __str__(self) -> str:
        return f"{self.name}: {self.from_level} → {self.to_level}"
