"""Forms of an initiative itself, and what the other forms of the app build on."""

from django import forms
from django.db.models import ForeignKey
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from backbone.forms import number_formfield
from backbone.models import Organization
from backbone.stale import SeenForm
from stakeholders.models import Contact, Partner
from stakeholders.pickers import ContactChoiceField, PartnerChoiceField

from ..models import Initiative, Phase


def scoped_formfield(model_field, **kwargs):
    """Form fields for a model's fields, with foreign keys left without choices.

    The default would query the related manager when the form class is built, outside
    any organization scope; each form sets its choices per organization in `__init__`.
    People and partners get the registry's searchable pickers.
    """
    if isinstance(model_field, ForeignKey):
        field_class = {Contact: ContactChoiceField, Partner: PartnerChoiceField}.get(
            model_field.related_model, forms.ModelChoiceField
        )
        return field_class(
            queryset=None,
            required=not model_field.blank,
            label=capfirst(model_field.verbose_name),
            help_text=model_field.help_text,
        )
    return number_formfield(model_field, **kwargs)


DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def organization_contacts(initiative: Initiative):
    """The people of the initiative's organization, with their partner, to choose from."""
    return Contact.objects.filter(organization_id=initiative.organization_id).select_related(
        "partner"
    )


def partner_options(organization_id: int):
    """The organization's partners to choose from, with only what an option shows (a select
    lists up to `PICKER_LIMIT` of them)."""
    return Partner.objects.filter(organization_id=organization_id).only("id", "name")


class InitiativeForm(SeenForm):
    class Meta:
        formfield_callback = scoped_formfield
        model = Initiative
        fields = ["name", "issue", "geography", "start_date", "description"]
        widgets = {"start_date": DATE, "description": forms.Textarea(attrs={"rows": 4})}


class InitiativeFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False)
    phase = forms.ChoiceField(
        label=_("Phase"), required=False, choices=[("", _("All phases")), *Phase.choices]
    )
    archived = forms.BooleanField(label=_("Show archived"), required=False)


class PhaseChangeForm(forms.Form):
    to_phase = forms.ChoiceField(label=_("Move to"), choices=Phase.choices)
    note = forms.CharField(
        label=_("Note"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("What the table decided. Moving back needs a reason."),
    )
    confirm = forms.BooleanField(
        label=_("Advance anyway, with the open readiness items recorded"), required=False
    )


class OrganizationRowForm(forms.ModelForm):
    """A row of an initiative: people and partners to choose from are the organization's."""

    contact_fields: tuple[str, ...] = ()
    partner_fields: tuple[str, ...] = ()

    def __init__(self, *args, initiative: Initiative, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.initiative = initiative
        self.instance.organization_id = initiative.organization_id
        organization: Organization = initiative.organization
        for name in self.contact_fields:
            self.fields[name].queryset = Contact.objects.filter(organization=organization)
        for name in self.partner_fields:
            self.fields[name].queryset = partner_options(initiative.organization_id)
