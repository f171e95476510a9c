"""The form of a partner's commitment to an initiative."""

from django import forms
from django.utils.translation import gettext_lazy as _

from backbone.forms import NumberField
from stakeholders.models import Partner
from stakeholders.pickers import PartnerChoiceField

from ..models import Initiative, PartnerRole
from .initiative import DATE, ContactChoiceField, organization_contacts


class CommitmentForm(forms.Form):
    partner = PartnerChoiceField(label=_("Partner"), queryset=None)
    role = forms.ChoiceField(label=_("Role"), choices=PartnerRole.choices)
    signed_by = ContactChoiceField(
        label=_("Signed by"), queryset=None, help_text=_("A person who works at the partner.")
    )
    signed_on = forms.DateField(label=_("Signed on"), widget=DATE)
    renewal_on = forms.DateField(label=_("Renewal date"), widget=DATE, required=False)
    money = NumberField(
        label=_("Money per year"), required=False, min_value=0, max_digits=12, decimal_places=2
    )
    staff_hours = NumberField(
        label=_("Staff time (hours per month)"),
        required=False,
        min_value=0,
        max_digits=8,
        decimal_places=1,
    )
    in_kind = forms.CharField(
        label=_("In kind"),
        required=False,
        max_length=300,
        help_text=_("e.g. “meeting space every month”, “printing”"),
    )

    def __init__(self, *args, initiative: Initiative, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["partner"].queryset = Partner.objects.filter(
            organization_id=initiative.organization_id
        )
        self.fields["signed_by"].queryset = organization_contacts(initiative).filter(
            partner__isnull=False
        )

    def clean(self):
        data = super().clean()
        partner, signer = data.get("partner"), data.get("signed_by")
        if partner and signer and signer.partner_id != partner.pk:
            self.add_error(
                "signed_by", _("The person who signs must work at %(p)s.") % {"p": partner}
            )
        signed, renewal = data.get("signed_on"), data.get("renewal_on")
        if signed and renewal and renewal < signed:
            self.add_error("renewal_on", _("The renewal can't be before the signature."))
        return data
