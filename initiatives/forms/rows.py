"""Forms of an initiative's rows: deliverables, action items, teams and their members,
the sponsor, risks and funding."""

from django import forms
from django.forms.models import ModelChoiceIterator
from django.utils.translation import gettext_lazy as _

from backbone.stale import SeenForm
from stakeholders.models import Contact
from stakeholders.pickers import PICKER_LIMIT

from ..models import (
    ActionItem,
    Deliverable,
    FundingCommitment,
    Initiative,
    Risk,
    Team,
    TeamMember,
)
from .initiative import DATE, OrganizationRowForm, partner_options, scoped_formfield


class DeliverableForm(OrganizationRowForm, SeenForm):
    contact_fields = ("owner",)

    class Meta:
        formfield_callback = scoped_formfield
        model = Deliverable
        fields = ["title", "status", "owner", "due_date", "evidence"]
        widgets = {"due_date": DATE, "evidence": forms.Textarea(attrs={"rows": 2})}


class ActionItemForm(OrganizationRowForm, SeenForm):
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


class TeamForm(OrganizationRowForm, SeenForm):
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


def team_member_contacts(organization_id: int) -> list[Contact]:
    """The people the member forms of a page's teams offer, fetched once for them all: every
    person while they fit a select, else `PICKER_LIMIT` + 1 of them, which only tells the
    forms to search instead (a search lists none)."""
    people = Contact.objects.filter(organization_id=organization_id).select_related("partner")
    return list(people[: PICKER_LIMIT + 1])


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
            field.registry_size = len(contacts)
            field.iterator = ListedChoiceIterator
            field.widget.choices = field.choices


class SponsorForm(OrganizationRowForm, SeenForm):
    partner_fields = ("sponsor",)

    class Meta:
        formfield_callback = scoped_formfield
        model = Initiative
        fields = ["sponsor", "sponsor_seats"]

    def __init__(self, *args, initiative: Initiative, **kwargs):
        kwargs["instance"] = initiative
        SeenForm.__init__(self, *args, **kwargs)
        self.fields["sponsor"].queryset = partner_options(initiative.organization_id)


class RiskForm(OrganizationRowForm, SeenForm):
    contact_fields = ("owner",)

    class Meta:
        formfield_callback = scoped_formfield
        model = Risk
        fields = ["description", "likelihood", "impact", "owner", "mitigation", "status"]
        widgets = {"mitigation": forms.Textarea(attrs={"rows": 2})}


class FundingCommitmentForm(OrganizationRowForm, SeenForm):
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
        error_messages = {"amount": {"invalid": _("Enter the amount as a number, like 20000.")}}
