from django import forms
from django.conf import settings
from django.utils.html import format_html
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from backbone.forms import invitation_language_choices
from backbone.links import org_url
from backbone.spreadsheets import MAX_ROWS
from backbone.stale import SeenForm

from .models import (
    CAPACITY_DIMENSIONS,
    REGISTRY_IMPORT_KINDS,
    CapacityAssessment,
    ConsentStatus,
    Contact,
    Partner,
    Sector,
)
from .pickers import ContactChoiceField, PartnerChoiceField
from .services import CAPACITY_FIELDS, contact_with_email, tag_names_parse


class PartnerForm(SeenForm):
    website = forms.URLField(label=_("Website"), required=False, assume_scheme="https")

    class Meta:
        model = Partner
        fields = ["name", "sector", "website", "notes"]
        widgets = {"notes": forms.Textarea(attrs={"rows": 4})}


class ContactForm(SeenForm):
    # Declared, not generated: the generated field would query the scoped
    # Partner manager when the module loads, outside any organization scope.
    partner = PartnerChoiceField(label=_("Works at"), queryset=None, required=False)
    tags = forms.CharField(
        label=_("Tags"),
        required=False,
        help_text=_("Separate with commas, e.g. “early years, speaker”."),
    )

    class Meta:
        model = Contact
        fields = [
            "first_name",
            "last_name",
            "email",
            "phone",
            "partner",
            "sector",
            "lived_experience",
            "language",
            "notes",
        ]
        widgets = {"notes": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args, organization, **kwargs):
        super().__init__(*args, **kwargs)
        self.organization = organization
        self.fields["partner"].queryset = Partner.objects.filter(organization=organization)
        self.fields["language"].choices = [
            ("", _("The organization's language")),
            *settings.LANGUAGES,
        ]
        if self.instance.pk:
            self.fields["tags"].initial = ", ".join(t.name for t in self.instance.tags.all())

    def clean_email(self):
        email = self.cleaned_data["email"].strip().lower()
        existing = contact_with_email(self.organization, email, exclude=self.instance.pk)
        if existing:
            url = org_url(self.organization, "stakeholders:contact_detail", contact_id=existing.pk)
            raise forms.ValidationError(
                format_html(
                    '{} <a href="{}">{}</a>',
                    _("This e-mail address belongs to a contact already:"),
                    url,
                    existing.full_name,
                )
            )
        return email

    def clean_tags(self):
        return tag_names_parse(self.cleaned_data["tags"])


class NoteForm(forms.Form):
    summary = forms.CharField(label=_("Note"), widget=forms.Textarea(attrs={"rows": 3}))
    occurred_on = forms.DateField(
        label=_("Date"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("Leave empty for today."),
    )


class ConsentForm(forms.Form):
    given = forms.TypedChoiceField(
        label=_("Consent to e-mail"),
        choices=[("yes", _("Agreed to receive e-mail")), ("no", _("Unsubscribed / refused"))],
        coerce=lambda value: value == "yes",
    )
    basis = forms.CharField(
        label=_("How did they agree?"),
        required=False,
        max_length=300,
        help_text=_(
            "E.g. “Ticked the box on the sign-up sheet at the 12 March community conversation”."
        ),
    )


class MergeForm(forms.Form):
    other = ContactChoiceField(
        label=_("Merge this contact with"),
        queryset=None,
        help_text=_(
            "The other record's details, notes, timeline and consent history join this one; the other record is removed."
        ),
    )

    def __init__(self, *args, contact, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["other"].queryset = Contact.objects.filter(
            organization_id=contact.organization_id
        ).exclude(pk=contact.pk)


class PartnerUserForm(forms.Form):
    membership = forms.ModelChoiceField(label=_("Member with the role Partner"), queryset=None)

    def __init__(self, *args, memberships, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["membership"].queryset = memberships
        self.fields["membership"].label_from_instance = lambda m: (
            m.user.display_name + (f" ({m.user.email})" if m.user.get_full_name() else "")
        )


class PartnerInviteForm(forms.Form):
    """Invite someone to report for this partner: the partner is the page's."""

    name = forms.CharField(label=_("Their name"), max_length=300)
    email = forms.EmailField(label=_("Their e-mail address"))
    language = forms.ChoiceField(label=_("Language of the invitation"), required=False)

    def __init__(self, *args, organization=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["language"].choices = invitation_language_choices(organization)


class RegistryImportForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("What the file holds"),
        choices=[(kind.value, kind.label) for kind in REGISTRY_IMPORT_KINDS],
    )
    file = forms.FileField(
        label=_("CSV file"),
        help_text=format_lazy(
            _(
                "UTF-8, comma- or semicolon-separated, with column names on the first line; "
                "at most {max} rows per file."
            ),
            max=MAX_ROWS,
        ),
    )
    consent_basis = forms.CharField(
        label=_("Consent basis"),
        required=False,
        max_length=250,
        help_text=_(
            "Needed if any row says consent = yes: how these people agreed to receive e-mail."
        ),
    )


class ContactFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False)
    # A select of a few partners, a search past PICKER_LIMIT (not 5,000 options).
    partner = PartnerChoiceField(label=_("Partner"), required=False, queryset=None)
    sector = forms.ChoiceField(
        label=_("Sector"), required=False, choices=[("", _("Any sector")), *Sector.choices]
    )
    lived_experience = forms.ChoiceField(
        label=_("Lived experience"),
        required=False,
        choices=[("", _("Anyone")), ("yes", _("Yes")), ("no", _("No"))],
    )
    tag = forms.ModelChoiceField(label=_("Tag"), required=False, queryset=None)
    consent = forms.ChoiceField(
        label=_("Consent"), required=False, choices=[("", _("Any")), *ConsentStatus.choices]
    )

    def __init__(self, *args, partners, tags, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["partner"].queryset = partners
        self.fields["partner"].empty_label = _("Any partner")
        self.fields["tag"].queryset = tags
        self.fields["tag"].empty_label = _("Any tag")


class PartnerFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False)
    sector = forms.ChoiceField(
        label=_("Sector"), required=False, choices=[("", _("Any sector")), *Sector.choices]
    )


class CapacityForm(SeenForm):
    """The capacity self-assessment: each dimension a score of 1 to 4 (radio buttons, a
    fieldset each) with its question as help, and a comment."""

    class Meta:
        model = CapacityAssessment
        fields = list(CAPACITY_FIELDS)
        widgets = {
            **{name: forms.RadioSelect for name, _label, _question in CAPACITY_DIMENSIONS},
            **{
                f"{name}_comment": forms.Textarea(attrs={"rows": 2})
                for name, _label, _question in CAPACITY_DIMENSIONS
            },
        }
        help_texts = {name: question for name, _label, question in CAPACITY_DIMENSIONS}
        labels = {
            f"{name}_comment": format_lazy(_("{dimension}: comment"), dimension=label)
            for name, label, _question in CAPACITY_DIMENSIONS
        }


class CapacityFilterForm(forms.Form):
    year = forms.TypedChoiceField(label=_("Year"), coerce=int, required=False, choices=())
    needs_help = forms.ChoiceField(
        label=_("Show"),
        required=False,
        choices=[
            ("", _("Every partner")),
            *[
                (name, format_lazy(_("Needing help: {dimension}"), dimension=label))
                for name, label, _question in CAPACITY_DIMENSIONS
            ],
            ("unanswered", _("Not answered yet")),
        ],
    )

    def __init__(self, *args, years: list[int], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = [(year, str(year)) for year in years]
