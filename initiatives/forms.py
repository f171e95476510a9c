from django import forms
from django.db.models import ForeignKey
from django.forms.models import ModelChoiceIterator
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from backbone.models import Organization
from stakeholders.models import Contact, Partner

from .models import (
    ActionItem,
    Deliverable,
    FundingCommitment,
    Initiative,
    InitiativePartner,
    Phase,
    ReadinessItem,
    Risk,
    Team,
    TeamMember,
)


def scoped_formfield(model_field, **kwargs):
    """Form fields for a model's fields, with foreign keys left without choices.

    The default would query the related manager when the form class is built, outside
    any organization scope; each form sets its choices per organization in `__init__`.
    """
    if isinstance(model_field, ForeignKey):
        return forms.ModelChoiceField(
            queryset=None,
            required=not model_field.blank,
            label=capfirst(model_field.verbose_name),
            help_text=model_field.help_text,
        )
    return model_field.formfield(**kwargs)


DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class InitiativeForm(forms.ModelForm):
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
            self.fields[name].queryset = Partner.objects.filter(organization=organization)


class ReadinessItemForm(forms.ModelForm):
    class Meta:
        formfield_callback = scoped_formfield
        model = ReadinessItem
        fields = ["phase", "component", "text"]


class ReadinessItemTextForm(forms.ModelForm):
    class Meta:
        formfield_callback = scoped_formfield
        model = ReadinessItem
        fields = ["text"]


class ReadinessTickForm(forms.ModelForm):
    class Meta:
        formfield_callback = scoped_formfield
        model = ReadinessItem
        fields = ["done_on", "evidence"]
        widgets = {"done_on": DATE}
        labels = {"done_on": _("Done on")}


class DeliverableForm(OrganizationRowForm):
    contact_fields = ("owner",)

    class Meta:
        formfield_callback = scoped_formfield
        model = Deliverable
        fields = ["title", "status", "owner", "due_date", "evidence"]
        widgets = {"due_date": DATE, "evidence": forms.Textarea(attrs={"rows": 2})}


class ActionItemForm(OrganizationRowForm):
    contact_fields = ("lead",)

    class Meta:
        formfield_callback = scoped_formfield
        model = ActionItem
        fields = ["title", "description", "lead", "due_date", "status", "deliverable"]
        widgets = {"due_date": DATE, "description": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, initiative: Initiative, **kwargs):
        super().__init__(*args, initiative=initiative, **kwargs)
        self.fields["deliverable"].queryset = Deliverable.objects.filter(
            organization_id=initiative.organization_id, initiative=initiative
        )


class TeamForm(OrganizationRowForm):
    contact_fields = ("chair",)

    class Meta:
        formfield_callback = scoped_formfield
        model = Team
        fields = ["kind", "name", "purpose", "chair", "seats", "charter"]
        widgets = {
            "purpose": forms.Textarea(attrs={"rows": 2}),
            "charter": forms.Textarea(attrs={"rows": 6}),
        }


class ListedChoiceIterator(ModelChoiceIterator):
    """Choices from a list fetched once, so one page can hold a form per team."""

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        for obj in self.field.listed:
            yield self.choice(obj)

    def __len__(self):
        return len(self.field.listed) + (1 if self.field.empty_label is not None else 0)


class TeamMemberForm(forms.ModelForm):
    class Meta:
        formfield_callback = scoped_formfield
        model = TeamMember
        fields = ["contact", "seat"]

    def __init__(self, *args, team: Team, contacts: list[Contact] | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.team = team
        self.instance.organization_id = team.organization_id
        field = self.fields["contact"]
        field.queryset = Contact.objects.filter(organization_id=team.organization_id)
        if contacts is not None:
            field.listed = contacts
            field.iterator = ListedChoiceIterator
            field.widget.choices = field.choices


class InitiativePartnerForm(OrganizationRowForm):
    """A partner organization joins the initiative; its partner users then see it."""

    partner_fields = ("partner",)

    class Meta:
        formfield_callback = scoped_formfield
        model = InitiativePartner
        fields = ["partner", "role", "joined_on"]
        widgets = {"joined_on": DATE}


class SponsorForm(OrganizationRowForm):
    partner_fields = ("sponsor",)

    class Meta:
        formfield_callback = scoped_formfield
        model = Initiative
        fields = ["sponsor", "sponsor_seats"]

    def __init__(self, *args, initiative: Initiative, **kwargs):
        kwargs["instance"] = initiative
        forms.ModelForm.__init__(self, *args, **kwargs)
        self.fields["sponsor"].queryset = Partner.objects.filter(
            organization_id=initiative.organization_id
        )


class RiskForm(OrganizationRowForm):
    contact_fields = ("owner",)

    class Meta:
        formfield_callback = scoped_formfield
        model = Risk
        fields = ["description", "likelihood", "impact", "owner", "mitigation", "status"]
        widgets = {"mitigation": forms.Textarea(attrs={"rows": 2})}


class FundingCommitmentForm(OrganizationRowForm):
    partner_fields = ("funder",)

    class Meta:
        formfield_callback = scoped_formfield
        model = FundingCommitment
        fields = [
            "funder",
            "description",
            "amount",
            "currency",
            "first_year",
            "last_year",
            "status",
            "kind",
        ]
        widgets = {"amount": forms.TextInput(attrs={"inputmode": "decimal"})}
        error_messages = {"amount": {"invalid": _("Enter the amount as a number, like 20000.")}}
