from django import forms
from django.utils.translation import gettext_lazy as _
from django_scopes.forms import SafeModelChoiceField

from stakeholders.models import Contact

from .models import Aggregation, Indicator


class DisaggregationField(forms.CharField):
    """One dimension per line: "Age group: 0–5, 6–12"."""

    widget = forms.Textarea(attrs={"rows": 3})

    def to_python(self, value):
        text = super().to_python(value)
        dimensions = {}
        for line in text.splitlines():
            if not line.strip():
                continue
            name, sep, rest = line.partition(":")
            categories = [c.strip() for c in rest.split(",") if c.strip()]
            if not sep or not name.strip() or not categories:
                raise forms.ValidationError(
                    _("Write each dimension as “Name: category, category”, one per line.")
                )
            dimensions[name.strip()] = categories
        return dimensions

    def prepare_value(self, value):
        if isinstance(value, dict):
            return "\n".join(f"{k}: {', '.join(v)}" for k, v in value.items())
        return value


class IndicatorForm(forms.ModelForm):
    disaggregation = DisaggregationField(
        label=_("Disaggregation"),
        required=False,
        help_text=_("One dimension per line, e.g. “Age group: 0–5, 6–12”."),
    )
    target_value = forms.DecimalField(label=_("Target"), required=False, max_digits=18)
    target_date = forms.DateField(
        label=_("Target date"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    class Meta:
        model = Indicator
        fields = [
            "name",
            "definition",
            "unit",
            "decimal_places",
            "direction",
            "level",
            "frequency",
            "data_source",
            "champion",
            "baseline_value",
            "baseline_date",
            "baseline_source",
            "minimum",
            "maximum",
            "change_warning_percent",
            "disaggregation",
            "aggregation",
        ]
        field_classes = {"champion": SafeModelChoiceField}
        widgets = {
            "definition": forms.Textarea(attrs={"rows": 3}),
            "baseline_date": forms.DateInput(attrs={"type": "date"}),
        }

    def __init__(self, *args, organization, editing: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["champion"].queryset = Contact.objects.filter(organization=organization)
        if editing:
            # Targets are kept on their own rows; the frequency is fixed once data exists
            # because periods are derived from it.
            del self.fields["target_value"], self.fields["target_date"]
            self.fields["is_active"] = forms.BooleanField(
                label=_("Active (clear to retire the indicator)"), required=False
            )
            self.initial["is_active"] = self.instance.is_active
            if self.instance.pk and self.instance.data_points.exists():
                self.fields["frequency"].disabled = True

    def save(self, commit=True):
        if "is_active" in self.fields:
            self.instance.is_active = self.cleaned_data["is_active"]
        return super().save(commit=commit)

    def clean(self):
        data = super().clean()
        if (data.get("target_value") is None) != (data.get("target_date") is None):
            self.add_error("target_date", _("Give both the target and its date, or neither."))
        target = data.get("target_value")
        if data.get("unit") == "percent" and target is not None and not 0 <= target <= 100:
            self.add_error("target_value", _("A percentage must be between 0 and 100."))
        return data


class GlossaryTermForm(forms.Form):
    term = forms.CharField(label=_("Term"), max_length=120)
    meaning = forms.CharField(label=_("Meaning"), widget=forms.Textarea(attrs={"rows": 2}))


class CurveStoryForm(forms.Form):
    period = forms.CharField(label=_("Period"))
    text = forms.CharField(label=_("Story behind the curve"), widget=forms.Textarea)


class ResolveForm(forms.Form):
    period = forms.CharField(widget=forms.HiddenInput)
    method = forms.ChoiceField(label=_("Settle by"), choices=Aggregation.choices)
    chosen = forms.IntegerField(required=False, widget=forms.HiddenInput)


class ValuesImportForm(forms.Form):
    file = forms.FileField(
        label=_("CSV file"),
        help_text=_("Columns: indicator, period, partner, disaggregation, value."),
    )
