"""Forms of the readiness matrix."""

from django import forms
from django.utils.translation import gettext_lazy as _

from backbone.stale import SeenForm

from ..models import ReadinessItem
from .initiative import DATE, scoped_formfield


class ReadinessItemForm(forms.ModelForm):
    class Meta:
        formfield_callback = scoped_formfield
        model = ReadinessItem
        fields = ["phase", "component", "text"]


class ReadinessItemTextForm(SeenForm):
    class Meta:
        formfield_callback = scoped_formfield
        model = ReadinessItem
        fields = ["text"]


class ReadinessTickForm(forms.ModelForm):
    class Meta:
        formfield_callback = scoped_formfield
        model = ReadinessItem
        fields = ["done_on", "evidence"]
        widgets = {"done_on": DATE}
        labels = {"done_on": _("Done on")}
