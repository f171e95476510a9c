"""The partner feedback survey, as the partner answers it."""

from django import forms
from django.utils.translation import gettext_lazy as _

from ..models import CollaborationAnswer


def _written_answer(label, *, rows: int = 3, **options) -> forms.CharField:
    return forms.CharField(label=label, widget=forms.Textarea(attrs={"rows": rows}), **options)


class SurveyForm(forms.Form):
    activities = _written_answer(
        _("What did your organization do in the initiative this year?"), rows=4
    )
    collaboration_increased = forms.ChoiceField(
        label=_("Has collaboration between partners increased?"),
        choices=CollaborationAnswer.choices,
        widget=forms.RadioSelect,
    )
    collaboration_examples = _written_answer(_("Tell us how (or why not)"), required=False)
    resources_committed = _written_answer(
        _("Which resources will your organization commit next year?"),
        help_text=_("Money, staff time, space, in-kind support…"),
    )
    work_differently = _written_answer(
        _("Are you working differently because of the initiative?"), required=False
    )
    suggestions = _written_answer(_("What should the backbone do differently?"), required=False)
