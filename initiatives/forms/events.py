"""Forms of engagement events: the event, an attendee from the registry, a walk-in."""

from django import forms
from django.utils.translation import gettext_lazy as _

from backbone.stale import SeenForm
from stakeholders.models import Sector
from stakeholders.selectors import ContactFilters, contacts_apply_filters

from ..models import Attendance, EngagementEvent, EventKind, Initiative
from ..services.events import WALK_IN_CONSENT_WORDING
from .initiative import ContactChoiceField, organization_contacts


class EventForm(SeenForm):
    class Meta:
        model = EngagementEvent
        fields = ["kind", "title", "starts_at", "place", "notes", "public"]
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
            # A NOT IN subquery (of known people: a NULL would match nobody), cheaper to
            # build than excluding across the relation.
            organization_contacts(event.initiative).exclude(
                pk__in=Attendance.objects.filter(event=event, contact__isnull=False).values(
                    "contact_id"
                )
            ),
            ContactFilters(q=q),
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
