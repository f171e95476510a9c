import contextlib
import datetime as dt
import re
from decimal import Decimal

from django import forms
from django.core.validators import MaxValueValidator, MinValueValidator
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from django_scopes.forms import SafeModelChoiceField

from backbone.forms import NumberField, display_number, number_formfield
from backbone.ids import whole_number
from backbone.spreadsheets import MAX_ROWS
from backbone.stale import SeenForm
from initiatives.models import Initiative
from stakeholders.models import Contact
from stakeholders.pickers import ContactChoiceField, PartnerMultipleChoiceField

from .definitions import DefinitionFacts, default_applies_from, definition_facts
from .flags import breakdown_mismatch
from .models import (
    Aggregation,
    Agreement,
    AgreementKind,
    AgreementStatus,
    Answer3,
    DataPoint,
    DataQuality,
    Indicator,
    ReviewDecision,
)
from .pickers import IndicatorMultipleChoiceField
from .services import DataEntryResult, ValueEntry, data_point_locked
from .validation import parse_value

VALUE_FIELD = re.compile(r"^v-(\d+)-(\d+)$")


def value_field(indicator_id: int, index: int) -> str:
    """The name of the entry form's field for an indicator's `index`th disaggregation cell."""
    return f"v-{indicator_id}-{index}"


def parse_value_field(name: str) -> tuple[int, int] | None:
    """(indicator id, cell index) named by a value field, or None for any other name."""
    match = VALUE_FIELD.match(name)
    return (int(match[1]), int(match[2])) if match else None


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


class IndicatorForm(SeenForm):
    disaggregation = DisaggregationField(
        label=_("Disaggregation"),
        required=False,
        help_text=_("One dimension per line, e.g. “Age group: 0–5, 6–12”."),
    )
    target_value = NumberField(label=_("Target"), required=False, max_digits=18)
    target_date = forms.DateField(
        label=_("Target date"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    class Meta:
        model = Indicator
        formfield_callback = number_formfield
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
        generated = self.fields["champion"]
        self.fields["champion"] = ContactChoiceField(
            queryset=Contact.objects.filter(organization=organization).select_related("partner"),
            required=generated.required,
            label=generated.label,
            help_text=generated.help_text,
        )
        if editing:
            # Targets are kept on their own rows; the frequency is fixed once data exists
            # because periods are derived from it.
            del self.fields["target_value"], self.fields["target_date"]
            self.fields["is_active"] = forms.BooleanField(
                label=_("Active (clear to retire the indicator)"), required=False
            )
            self.initial["is_active"] = self.instance.is_active
            facts = definition_facts(self.instance) if self.instance.pk else None
            if facts and facts.has_values:
                self.fields["frequency"].disabled = True
                # Today in the organization's zone (the middleware activates it).
                self._versioned_fields(timezone.localdate(), facts)

    def _versioned_fields(self, today: dt.date, facts: DefinitionFacts) -> None:
        """The indicator has values: say that a new name or definition starts a version,
        ask from when, and offer to correct a typo in place instead."""
        current = facts.current_number
        default = default_applies_from(self.instance, today, facts)
        numbers = {"current": current, "next": current + 1}
        self.fields["definition"].help_text = format_lazy(
            _(
                "This indicator has values: a new name or definition starts version {next}, "
                "and values of earlier periods keep version {current}."
            ),
            **numbers,
        )
        self.fields["applies_from"] = forms.DateField(
            label=format_lazy(_("Version {next} applies from"), **numbers),
            required=False,
            initial=default,
            widget=forms.DateInput(attrs={"type": "date"}),
            # Periods exist from 1900 to 2200 (`periods.parse_period`).
            validators=[
                MinValueValidator(dt.date(1900, 1, 1)),
                MaxValueValidator(dt.date(2200, 12, 31)),
            ],
            help_text=_(
                "Periods starting on or after this date are read under the new text. "
                "Proposed: the first period after the last one with values (those were "
                "collected under the current text), not before the current period."
            ),
        )
        self.fields["correction"] = forms.BooleanField(
            label=_("This is a correction, not a new definition"),
            required=False,
            help_text=format_lazy(
                _(
                    "Fixes a typo in version {current} in place: every value keeps its "
                    "version, and the history records the correction."
                ),
                **numbers,
            ),
        )
        self.order_fields(["name", "definition", "applies_from", "correction"])

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


class IndicatorSearchForm(forms.Form):
    """The measures dashboard's filter: the charts of the indicators whose name holds it."""

    q = forms.CharField(label=_("Indicator"), required=False, max_length=200)


class GlossaryTermForm(forms.Form):
    term = forms.CharField(label=_("Term"), max_length=120)
    meaning = forms.CharField(label=_("Meaning"), widget=forms.Textarea(attrs={"rows": 2}))


class CurveStoryForm(forms.Form):
    period = forms.CharField(label=_("Period"))
    text = forms.CharField(label=_("Story behind the curve"), widget=forms.Textarea)


class ResolveForm(forms.Form):
    period = forms.CharField(widget=forms.HiddenInput)
    method = forms.ChoiceField(label=_("Settle by"), choices=Aggregation.choices)
    chosen = forms.ModelChoiceField(queryset=None, required=False, widget=forms.HiddenInput)

    def __init__(self, *args, indicator: Indicator, **kwargs):
        super().__init__(*args, **kwargs)
        # The value picked must be one of this indicator's.
        self.fields["chosen"].queryset = indicator.data_points.all()


class ValuesImportForm(forms.Form):
    file = forms.FileField(
        label=_("CSV file"),
        help_text=format_lazy(
            _("Columns: indicator, period, partner, disaggregation, value. At most {max} rows."),
            max=MAX_ROWS,
        ),
    )


class DataEntryForm(forms.Form):
    """One period's values of one partner: a field per indicator and disaggregation cell.

    Field names: `v-<indicator id>-<cell index>` the value, `ver-<id>-<index>` the version
    the person loaded (a stale save is refused), `c-<id>` a comment per indicator, `ok-<id>`
    the person confirms a value far from the previous period's. A value posted for an
    indicator the form does not hold is a form error (nothing is saved for it); each
    value's own problems (see `services.data_entry_save`) are shown next to it.
    """

    def __init__(
        self,
        data=None,
        *,
        indicators: list[Indicator],
        points: dict[tuple[int, str], DataPoint],
        by_staff: bool,
    ):
        super().__init__(data)
        self.indicators = indicators
        self.points = points
        self.by_staff = by_staff
        self.to_confirm: set[int] = set()
        for indicator in indicators:
            self.fields[f"c-{indicator.pk}"] = forms.CharField(required=False)
            self.fields[f"ok-{indicator.pk}"] = forms.BooleanField(required=False)
            for index, _cell in enumerate(indicator.cells):
                self.fields[value_field(indicator.pk, index)] = forms.CharField(required=False)
                self.fields[f"ver-{indicator.pk}-{index}"] = forms.CharField(required=False)

    def clean(self):
        asked = {str(indicator.pk) for indicator in self.indicators}
        if any(key.startswith("v-") and key.split("-")[1] not in asked for key in self.data):
            raise forms.ValidationError(
                _(
                    "Your organization was not asked to report some of these values; "
                    "they were not saved."
                )
            )
        return self.cleaned_data

    def entries(self) -> list[ValueEntry]:
        """The values to save: those typed in, leaving alone what is locked for this person."""
        data = self.cleaned_data
        entries = []
        for indicator in self.indicators:
            for index, cell in enumerate(indicator.cells):
                name = value_field(indicator.pk, index)
                raw = data.get(name, "")
                point = self.points.get((indicator.pk, cell))
                if raw == "" or data_point_locked(point, by_staff=self.by_staff):
                    continue
                version = data.get(f"ver-{indicator.pk}-{index}", "")
                entries.append(
                    ValueEntry(
                        field=name,
                        indicator=indicator,
                        cell=cell,
                        raw=raw,
                        version=whole_number(version),
                        comment=data.get(f"c-{indicator.pk}", ""),
                        confirmed=data.get(f"ok-{indicator.pk}", False),
                    )
                )
        return entries

    def add_result(self, result: DataEntryResult) -> None:
        """Show what the save refused next to each value."""
        for name, messages in result.errors.items():
            self.add_error(name, messages)
        self.to_confirm = result.to_confirm

    def rows(
        self,
        points: dict[tuple[int, str], DataPoint],
        approved: dict[tuple[int, str], tuple[Decimal, str]] | None = None,
    ) -> list[dict]:
        """What the page shows per indicator, with the saved `points` as they are now and,
        beside each field, the partner's last `approved` value (and its period)."""
        approved = approved or {}
        rows = []
        for indicator in self.indicators:
            cells, shown = [], {}
            for index, cell in enumerate(indicator.cells):
                point = points.get((indicator.pk, cell))
                name = value_field(indicator.pk, index)
                value = self.data.get(name, "" if point is None else display_number(point.value))
                with contextlib.suppress(ValueError):
                    shown[cell] = parse_value(value)
                last = approved.get((indicator.pk, cell))
                cells.append(
                    {
                        "name": name,
                        "cell": cell,
                        "index": index,
                        "point": point,
                        "value": value,
                        "errors": self.errors.get(name, []),
                        "locked": data_point_locked(point, by_staff=self.by_staff),
                        "last_approved": indicator.format_value(last[0]) if last else "",
                        "last_period": last[1] if last else "",
                    }
                )
            confirmed = bool(self.data.get(f"ok-{indicator.pk}"))
            rows.append(
                {
                    "indicator": indicator,
                    "cells": cells,
                    "comment": self.data.get(f"c-{indicator.pk}", ""),
                    "warning": indicator.pk in self.to_confirm or confirmed,
                    "confirmed": confirmed,
                    "breakdown_mismatch": breakdown_mismatch(indicator, shown),
                }
            )
        return rows


class ApprovalFilterForm(forms.Form):
    """Narrow and order the approval queue: by initiative, partner and flag."""

    SORTS = [
        ("initiative", _("Initiative and indicator")),
        ("partner", _("Partner")),
        ("change", _("Largest change first")),
        ("flagged", _("Flagged first")),
    ]

    initiative = forms.TypedChoiceField(label=_("Initiative"), required=False, coerce=int)
    partner = forms.TypedChoiceField(label=_("Partner"), required=False, coerce=int)
    flag = forms.ChoiceField(label=_("Flag"), required=False)
    sort = forms.ChoiceField(label=_("Sort by"), required=False, choices=SORTS)

    def __init__(self, *args, initiatives, partners, flags, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["initiative"].choices = [("", _("All initiatives")), *initiatives]
        self.fields["partner"].choices = [("", _("All partners")), *partners]
        self.fields["flag"].choices = [
            ("", _("Flagged or not")),
            ("any", _("Any flag")),
            ("none", _("No flag")),
            *flags,
        ]


# Agreements and the indicator review -------------------------------------------------

AGREEMENT_DOCUMENT_TYPES = (".pdf", ".doc", ".docx", ".odt", ".txt", ".png", ".jpg", ".jpeg")
AGREEMENT_DOCUMENT_MAX_BYTES = 20 * 1024 * 1024


class AgreementForm(SeenForm):
    """An agreement of an initiative; the indicators it covers must be that initiative's."""

    parties = PartnerMultipleChoiceField(
        label=_("Parties"), queryset=None, required=False, checkboxes=True
    )
    indicators = IndicatorMultipleChoiceField(
        label=_("Indicators covered"),
        queryset=None,
        required=False,
        checkboxes=True,
        help_text=_("For a data-sharing agreement: the indicators whose values it covers."),
    )

    class Meta:
        model = Agreement
        fields = [
            "initiative",
            "kind",
            "title",
            "parties",
            "status",
            "signed_on",
            "expires_on",
            "document",
            "indicators",
            "permission",
            "notes",
        ]
        field_classes = {"initiative": SafeModelChoiceField}
        widgets = {
            "signed_on": forms.DateInput(attrs={"type": "date"}),
            "expires_on": forms.DateInput(attrs={"type": "date"}),
            "notes": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, initiatives, partners, indicators, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["initiative"].queryset = initiatives
        self.fields["parties"].queryset = partners
        self.fields["indicators"].queryset = indicators
        # The search narrows its matches to the initiative chosen above.
        self.fields["indicators"].search_include = f"#{self['initiative'].auto_id}"
        # Ending is its own action (with a reason); the form keeps draft or signed.
        self.fields["status"].choices = [
            (AgreementStatus.DRAFT, AgreementStatus.DRAFT.label),
            (AgreementStatus.SIGNED, AgreementStatus.SIGNED.label),
        ]
        if self.instance.pk and self.instance.status == AgreementStatus.ENDED:
            del self.fields["status"]

    def seen_names(self) -> list[str]:
        return [n for n in self._meta.fields if n not in ("parties", "indicators", "document")]

    def clean_document(self):
        document = self.cleaned_data.get("document")
        if document and hasattr(document, "size"):
            if not document.name.lower().endswith(AGREEMENT_DOCUMENT_TYPES):
                raise forms.ValidationError(
                    _("Upload a PDF, a word-processing document, a text file or a picture.")
                )
            if document.size > AGREEMENT_DOCUMENT_MAX_BYTES:
                raise forms.ValidationError(_("The document is larger than 20 MB."))
        return document

    def clean(self):
        data = super().clean()
        initiative = data.get("initiative")
        strangers = [
            i.name
            for i in data.get("indicators") or []
            if initiative and i.initiative_id != initiative.pk
        ]
        if strangers:
            self.add_error(
                "indicators",
                _("Only this initiative's indicators: %(names)s are not.")
                % {"names": ", ".join(strangers)},
            )
        if data.get("kind") == AgreementKind.DATA_SHARING and not data.get("indicators"):
            self.add_error("indicators", _("Name the indicators this agreement covers."))
        signed, expires = data.get("signed_on"), data.get("expires_on")
        if signed and expires and expires < signed:
            self.add_error("expires_on", _("It cannot expire before it is signed."))
        if data.get("status") == AgreementStatus.SIGNED and not signed:
            self.add_error("signed_on", _("Give the date it was signed."))
        return data


class AgreementFilterForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Kind"), required=False, choices=[("", _("All"))] + AgreementKind.choices
    )
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("All"))] + AgreementStatus.choices
    )
    initiative = SafeModelChoiceField(
        label=_("Initiative"),
        required=False,
        queryset=Initiative.objects.none(),
        empty_label=_("All"),
    )

    def __init__(self, *args, initiatives, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["initiative"].queryset = initiatives


class AgreementEndForm(forms.Form):
    reason = forms.CharField(
        label=_("Why it ends"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class VerdictForm(forms.Form):
    """The review's three questions and its decision on one indicator."""

    still_relevant = forms.ChoiceField(
        label=_("Still relevant?"), choices=Answer3.choices, widget=forms.RadioSelect
    )
    right_thing = forms.ChoiceField(
        label=_("Measuring the right thing?"), choices=Answer3.choices, widget=forms.RadioSelect
    )
    data_quality = forms.ChoiceField(
        label=_("Data quality"), choices=DataQuality.choices, widget=forms.RadioSelect
    )
    comment = forms.CharField(
        label=_("Comment"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    decision = forms.ChoiceField(
        label=_("Decision"), choices=ReviewDecision.choices, widget=forms.RadioSelect
    )
    new_name = forms.CharField(label=_("New name (if it changes)"), required=False, max_length=200)
    new_definition = forms.CharField(
        label=_("New definition (when revising)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Values of earlier periods keep the definition they were collected under."),
    )

    def clean(self):
        data = super().clean()
        if (
            data.get("decision") == ReviewDecision.REVISE
            and not data.get("new_definition", "").strip()
        ):
            self.add_error("new_definition", _("Give the new definition."))
        return data
