"""Forms of who takes part: partners joining the initiative, people and their engagement."""

from django import forms
from django.utils.translation import gettext_lazy as _

from backbone.stale import seen_field
from stakeholders.models import Sector

from ..models import (
    EngagementLevel,
    Initiative,
    InitiativePartner,
    ParticipantRole,
    Participation,
)
from .initiative import (
    DATE,
    ContactChoiceField,
    OrganizationRowForm,
    organization_contacts,
    scoped_formfield,
)


class InitiativePartnerForm(OrganizationRowForm):
    """A partner organization joins the initiative; its partner users then see it."""

    partner_fields = ("partner",)

    class Meta:
        formfield_callback = scoped_formfield
        model = InitiativePartner
        fields = ["partner", "role", "joined_on", "listed_publicly"]
        widgets = {"joined_on": DATE}


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
    seen = seen_field()  # of an existing participation: fingerprint(it, PARTICIPATION_EDITED)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "seen" not in self.initial:  # someone added: no one else can have changed it
            del self.fields["seen"]


class ParticipationAddForm(ParticipationForm):
    contact = ContactChoiceField(label=_("Person"), queryset=None)
    field_order = ["contact", "roles", "level", "notes"]

    def __init__(self, *args, initiative: Initiative, **kwargs):
        super().__init__(*args, **kwargs)
        # A NOT IN subquery: excluding across the relation costs far more to build.
        taking_part = Participation.objects.filter(initiative=initiative).values("contact_id")
        self.fields["contact"].queryset = organization_contacts(initiative).exclude(
            pk__in=taking_part
        )
