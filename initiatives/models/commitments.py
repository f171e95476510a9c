"""Partners' commitments to an initiative: the role they take and the resources they bring."""

from decimal import Decimal

from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from backbone.models import TenantModel
from stakeholders.models import Contact, Partner

from .initiative import InInitiative, Initiative
from .people import PartnerRole


def _optional_quantity(
    verbose_name, *, max_digits: int, decimal_places: int
) -> models.DecimalField:
    """A resource a partner may bring: left empty, or zero and more."""
    return models.DecimalField(
        verbose_name,
        max_digits=max_digits,
        decimal_places=decimal_places,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0"))],
    )


class Commitment(InInitiative, TenantModel):
    """A partner signs on to an initiative, with the role it takes and the resources it brings."""

    initiative = models.ForeignKey(Initiative, on_delete=models.CASCADE, related_name="commitments")
    # PROTECT: a signed commitment is part of the record; the partner who signed it stays.
    partner = models.ForeignKey(
        Partner, on_delete=models.PROTECT, related_name="+", verbose_name=_("partner")
    )
    role = models.CharField(
        _("role"), max_length=20, choices=PartnerRole.choices, default=PartnerRole.PARTNER
    )
    money = _optional_quantity(_("money per year"), max_digits=12, decimal_places=2)
    staff_hours = _optional_quantity(
        _("staff time (hours per month)"), max_digits=8, decimal_places=1
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
