"""The partner feedback survey, as the partner answers it."""

from django import forms
from django.utils.translation import gettext_lazy as _

from ..models import CollaborationAnswer


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
