"""An initiative and what happens in it."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from backbone.models import TenantModel
from stakeholders.models import Partner


class Phase(models.TextChoices):
    PRE_LAUNCH = "pre_launch", _("I. Pre-launch")
    INITIATE_ACTION = "initiate_action", _("II. Initiate action")
    ORGANIZE_FOR_IMPACT = "organize_for_impact", _("III. Organize for impact")
    SUSTAINING_IMPACT = "sustaining_impact", _("IV. Implementing and sustaining impact")


class Initiative(TenantModel):
    """One collective impact effort, e.g. "Poverty Reduction Roundtable 2027"."""

    name = models.CharField(_("name"), max_length=200)
    issue = models.CharField(
        _("community issue"),
        max_length=300,
        help_text=_("The one community problem the partners work on together."),
    )
    geography = models.CharField(_("geography"), max_length=200, blank=True)
    start_date = models.DateField(_("start date"))
    description = models.TextField(_("description"), blank=True)
    phase = models.CharField(
        _("phase"), max_length=30, choices=Phase.choices, default=Phase.PRE_LAUNCH
    )
    archived_at = models.DateTimeField(_("archived at"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class PartnerRole(models.TextChoices):
    PARTNER = "partner", _("Partner")
    FUNDER = "funder", _("Funder")
    CHAMPION = "champion", _("Champion")
    SPONSOR = "sponsor", _("Sponsor / fiscal agent")


class InitiativePartner(TenantModel):
    """A partner organization taking part in an initiative, in a role.

    Partner users see the initiatives their partner takes part in.
    """

    initiative = models.ForeignKey(
        Initiative, on_delete=models.CASCADE, related_name="partner_links"
    )
    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="initiative_links")
    role = models.CharField(
        _("role"), max_length=20, choices=PartnerRole.choices, default=PartnerRole.PARTNER
    )
    joined_on = models.DateField(_("joined on"), null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["initiative", "partner", "role"], name="one_partner_role_per_initiative"
            )
        ]

    def __str__(self) -> str:
        return f"{self.partner} · {self.initiative} ({self.get_role_display()})"
