"""The form of a note on the reflection board."""

from django import forms
from django.utils.translation import gettext_lazy as _

from ..models import ReflectionQuestion


class ReflectionNoteForm(forms.Form):
    question = forms.ChoiceField(label=_("Question"), choices=ReflectionQuestion.choices)
    text = forms.CharField(
        label=_("Note"), max_length=1000, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "reflection_%s")
        super().__init__(*args, **kwargs)
