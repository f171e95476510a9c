"""The form of a story of change."""

from django import forms
from django.utils.translation import gettext_lazy as _

from backbone.stale import seen_field
from stakeholders.models import Contact
from stakeholders.pickers import ContactMultipleChoiceField

from ..models import Initiative


class StoryForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    text = forms.CharField(
        label=_("Story"),
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Markdown: **bold**, *italic*, lists, links."),
    )
    featured = ContactMultipleChoiceField(
        label=_("People featured"),
        queryset=None,
        required=False,
        help_text=_("Each person must agree before the story is published."),
    )
    photo = forms.ImageField(label=_("Photo"), required=False)
    seen = seen_field()  # of an existing story: fingerprint(story, STORY_EDITED)

    def __init__(self, *args, initiative: Initiative, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["featured"].queryset = Contact.objects.filter(
            organization_id=initiative.organization_id
        )
        if "seen" not in self.initial:  # a new story: no one else can have changed it
            del self.fields["seen"]
