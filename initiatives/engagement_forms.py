"""Forms for engagement: people, events and attendance, commitments, the survey, stories."""

from django import forms
from django.utils.translation import gettext_lazy as _

from stakeholders.models import Contact, Partner, Sector
from stakeholders.selectors import ContactFilters, contacts_apply_filters

from .engagement_services import WALK_IN_CONSENT_WORDING
from .forms import DATE
from .models import (
    CollaborationAnswer,
    EngagementEvent,
    EngagementLevel,
    EventKind,
    Initiative,
    ParticipantRole,
    PartnerRole,
)


class ContactChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Contact) -> str:
        return f"{obj.full_name} ({obj.partner})" if obj.partner_id else obj.full_name


def _contacts(initiative: Initiative):
    return Contact.objects.filter(organization_id=initiative.organization_id).select_related(
        "partner"
    )


class PeopleFilterForm(forms.Form):
    q = forms.CharField(label=_("Name"), required=False)
    role = forms.ChoiceField(
        label=_("Role"), required=False, choices=[("", _("All roles")), *ParticipantRole.choices]
    )
    level = forms.ChoiceField(
        label=_("Engagement"),
        required=False,
        choices=[("", _("All levels")), *EngagementLevel.choices],
    )
    sector = forms.ChoiceField(
        label=_("Sector"), required=False, choices=[("", _("All sectors")), *Sector.choices]
    )
    lived_experience = forms.ChoiceField(
        label=_("Lived experience"),
        required=False,
        choices=[("", _("Anyone")), ("yes", _("Yes")), ("no", _("No"))],
    )


class ParticipationForm(forms.Form):
    roles = forms.MultipleChoiceField(
        label=_("Roles"),
        required=False,
        choices=ParticipantRole.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    level = forms.ChoiceField(label=_("Engagement"), choices=EngagementLevel.choices)
    notes = forms.CharField(label=_("Notes"), required=False, max_length=300)


class ParticipationAddForm(ParticipationForm):
    contact = ContactChoiceField(label=_("Person"), queryset=None)
    field_order = ["contact", "roles", "level", "notes"]

    def __init__(self, *args, initiative: Initiative, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["contact"].queryset = _contacts(initiative).exclude(
            participations__initiative=initiative
        )


class EventForm(forms.ModelForm):
    class Meta:
        model = EngagementEvent
        fields = ["kind", "title", "starts_at", "place", "notes"]
        widgets = {
            "starts_at": forms.DateTimeInput(
                attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"
            ),
            "notes": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, initiative: Initiative | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = EventKind.choices
        self.fields["starts_at"].input_formats = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"]


class AttendeeForm(forms.Form):
    contact = ContactChoiceField(label=_("Person"), queryset=None)

    def __init__(self, *args, event: EngagementEvent, q: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        queryset = contacts_apply_filters(
            _contacts(event.initiative).exclude(attendances__event=event), ContactFilters(q=q)
        )
        self.fields["contact"].queryset = queryset


class WalkInForm(forms.Form):
    first_name = forms.CharField(label=_("First name"), max_length=100)
    last_name = forms.CharField(label=_("Last name"), max_length=100, required=False)
    email = forms.EmailField(label=_("E-mail"), required=False)
    sector = forms.ChoiceField(label=_("Sector"), choices=Sector.choices, initial=Sector.COMMUNITY)
    lived_experience = forms.BooleanField(label=_("Lived experience"), required=False)
    consent = forms.BooleanField(
        label=WALK_IN_CONSENT_WORDING,
        required=False,
        help_text=_("Tick only if the person agreed to these words."),
    )

    def clean(self):
        data = super().clean()
        if data.get("consent") and not data.get("email"):
            self.add_error("email", _("Add an e-mail address to send them news."))
        return data


class CommitmentForm(forms.Form):
    partner = forms.ModelChoiceField(label=_("Partner"), queryset=None)
    role = forms.ChoiceField(label=_("Role"), choices=PartnerRole.choices)
    signed_by = ContactChoiceField(
        label=_("Signed by"), queryset=None, help_text=_("A person who works at the partner.")
    )
    signed_on = forms.DateField(label=_("Signed on"), widget=DATE)
    renewal_on = forms.DateField(label=_("Renewal date"), widget=DATE, required=False)
    money = forms.DecimalField(
        label=_("Money per year"), required=False, min_value=0, max_digits=12, decimal_places=2
    )
    staff_hours = forms.DecimalField(
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
        self.fields["signed_by"].queryset = _contacts(initiative).filter(partner__isnull=False)

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


class SurveyForm(forms.Form):
    activities = forms.CharField(
        label=_("What did your organization do in the initiative this year?"),
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    collaboration_increased = forms.ChoiceField(
        label=_("Has collaboration between partners increased?"),
        choices=CollaborationAnswer.choices,
        widget=forms.RadioSelect,
    )
    collaboration_examples = forms.CharField(
        label=_("Tell us how (or why not)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    resources_committed = forms.CharField(
        label=_("Which resources will your organization commit next year?"),
        help_text=_("Money, staff time, space, in-kind support…"),
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    work_differently = forms.CharField(
        label=_("Are you working differently because of the initiative?"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    suggestions = forms.CharField(
        label=_("What should the backbone do differently?"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class StoryForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    text = forms.CharField(
        label=_("Story"),
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Markdown: **bold**, *italic*, lists, links."),
    )
    featured = forms.ModelMultipleChoiceField(
        label=_("People featured"),
        queryset=None,
        required=False,
        help_text=_("Each person must agree before the story is published."),
    )
    photo = forms.ImageField(label=_("Photo"), required=False)

    def __init__(self, *args, initiative: Initiative, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["featured"].queryset = Contact.objects.filter(
            organization_id=initiative.organization_id
        )
