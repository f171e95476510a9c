"""The registry: partner organizations and the people (contacts) of an organization."""

from django.db import models
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _

from backbone.models import Membership, TenantModel


class Sector(models.TextChoices):
    NON_PROFIT = "non_profit", _("Non-profit")
    GOVERNMENT = "government", _("Government")
    BUSINESS = "business", _("Business")
    FUNDER = "funder", _("Funder")
    EDUCATION = "education", _("Education")
    HEALTH = "health", _("Health")
    FAITH = "faith", _("Faith")
    COMMUNITY = "community", _("Community group / lived experience")
    OTHER = "other", _("Other")


class Partner(TenantModel):
    """An organization that takes part: a non-profit, a city department, a funder…"""

    name = models.CharField(_("name"), max_length=200)
    sector = models.CharField(_("sector"), max_length=20, choices=Sector.choices)
    website = models.URLField(_("website"), blank=True)
    notes = models.TextField(_("notes"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                "organization", Lower("name"), name="partner_name_unique_per_org"
            )
        ]

    def __str__(self) -> str:
        return self.name


class Contact(TenantModel):
    """A person in the registry. Personal data: only members of the organization see it."""

    first_name = models.CharField(_("first name"), max_length=100)
    last_name = models.CharField(_("last name"), max_length=100, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    partner = models.ForeignKey(
        Partner,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="contacts",
        verbose_name=_("works at"),
    )
    sector = models.CharField(_("sector"), max_length=20, choices=Sector.choices)
    lived_experience = models.BooleanField(
        _("lived experience"),
        default=False,
        help_text=_("Brings lived experience of the issue to the table."),
    )
    notes = models.TextField(_("notes"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["last_name", "first_name"]
        constraints = [
            models.UniqueConstraint(
                "organization",
                Lower("email"),
                condition=~models.Q(email=""),
                name="contact_email_unique_per_org",
            )
        ]

    def __str__(self) -> str:
        return self.full_name

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()


class PartnerMembership(TenantModel):
    """Links a member with role `partner` to the Partner they report for.

    Lives here, not in backbone, so that the tenancy core knows no domain app.
    """

    membership = models.OneToOneField(
        Membership, on_delete=models.CASCADE, related_name="partner_link"
    )
    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="user_links")

    def __str__(self) -> str:
        return f"{self.membership.user} → {self.partner}"
