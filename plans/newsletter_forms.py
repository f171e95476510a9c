from django import forms
from django.utils.translation import gettext_lazy as _

from initiatives.models import Initiative
from stakeholders.models import Sector

from .newsletter_models import Newsletter, NewsletterItem


class NewsletterForm(forms.ModelForm):
    # Declared with queryset=None: the default would query a scoped model at import.
    audience_initiative = forms.ModelChoiceField(
        label=_("Only people of initiative"), queryset=None, required=False
    )
    audience_sector = forms.ChoiceField(
        label=_("Only sector"), choices=[("", _("All sectors")), *Sector.choices], required=False
    )

    class Meta:
        model = Newsletter
        fields = [
            "subject",
            "introduction",
            "audience_initiative",
            "audience_sector",
            "audience_tag",
        ]
        widgets = {"introduction": forms.Textarea(attrs={"rows": 5})}

    def __init__(self, *args, organization, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["audience_initiative"]
        field.queryset = Initiative.objects.filter(
            organization=organization, archived_at__isnull=True
        )
        field.empty_label = _("Everyone in the organization")


def link_field() -> forms.URLField:
    return forms.URLField(label=_("Link"), required=False, assume_scheme="https")


class ItemForm(forms.ModelForm):
    url = link_field()

    class Meta:
        model = NewsletterItem
        fields = ["title", "body", "url", "included"]
        widgets = {"body": forms.Textarea(attrs={"rows": 3})}


class NoteForm(forms.ModelForm):
    url = link_field()

    class Meta:
        model = NewsletterItem
        fields = ["title", "body", "url"]
        widgets = {"body": forms.Textarea(attrs={"rows": 3})}


class ScheduleForm(forms.Form):
    scheduled_for = forms.DateTimeField(
        label=_("Send at"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        help_text=_("In the organization's time zone."),
    )
