"""Numbers are shown in the organization's locale and accepted back in that form."""

import datetime as dt
import importlib
import pkgutil
from decimal import Decimal
from pathlib import Path

import pytest
from django import forms
from django.conf import settings
from django.utils import translation
from django.utils.formats import date_format

from backbone.forms import (
    NumberField,
    NumberInput,
    WholeNumberField,
    display_number,
    parse_number,
)
from backbone.templatetags.backbone import money, number


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        (Decimal("10176.0000"), "10,176"),
        (Decimal("12500.50"), "12,500.5"),
        (Decimal("0.2500"), "0.25"),
        (Decimal("-3000"), "-3,000"),
        (Decimal("1E+3"), "1,000"),
    ],
)
def test_numbers_are_grouped_without_padding_zeros(value, shown):
    with translation.override("en"):
        assert display_number(value) == shown


@pytest.mark.parametrize(
    ("typed", "read"),
    [("12,500", "12500"), ("12 500", "12500"), ("$12,500.50", "12500.50"), ("40 %", "40")],
)
def test_numbers_are_read_as_people_type_them(typed, read):
    with translation.override("en"):
        assert parse_number(typed) == read


def test_a_french_speaker_types_the_french_way():
    with translation.override("fr"):
        assert parse_number("12 500,5") == "12500.5"
        assert display_number(Decimal("12500.5")) in ("12\u202f500,5", "12\u00a0500,5", "12 500,5")


class Funding(forms.Form):
    amount = NumberField(max_digits=12, decimal_places=2, min_value=0)


def test_the_shared_field_accepts_what_it_shows():
    with translation.override("en"):
        form = Funding({"amount": "12,500"})
        assert form.is_valid(), form.errors
        assert form.cleaned_data["amount"] == Decimal("12500")
        shown = Funding(initial={"amount": Decimal("10176.0000")})
        assert 'value="10,176"' in str(shown["amount"])
        assert 'inputmode="decimal"' in str(shown["amount"])
        assert not Funding({"amount": "-5"}).is_valid()
        assert not Funding({"amount": "twelve"}).is_valid()
        assert isinstance(Funding().fields["amount"].widget, NumberInput)


def our_form_classes() -> list[type[forms.BaseForm]]:
    """Every form class of the five apps (their forms modules and packages, and the core's)."""
    modules = [
        "backbone.forms",
        "backbone.personal",
        "stakeholders.forms",
        "initiatives.forms",
        "measures.forms",
        "plans.forms",
    ]
    found = set()
    for name in modules:
        module = importlib.import_module(name)
        submodules = [module]
        if hasattr(module, "__path__"):
            submodules += [
                importlib.import_module(f"{name}.{info.name}")
                for info in pkgutil.iter_modules(module.__path__)
            ]
        for sub in submodules:
            for value in vars(sub).values():
                if (
                    isinstance(value, type)
                    and issubclass(value, forms.BaseForm)
                    and value.__module__.split(".")[0] == name.split(".")[0]
                ):
                    found.add(value)
    return sorted(found, key=lambda c: (c.__module__, c.__name__))


def test_no_form_uses_the_browsers_number_input_and_every_number_is_ours():
    classes = our_form_classes()
    assert len(classes) > 30
    numeric = []
    for form_class in classes:
        for name, field in form_class.base_fields.items():
            assert getattr(field.widget, "input_type", None) != "number", (form_class, name)
            if isinstance(field, forms.IntegerField | forms.DecimalField | forms.FloatField):
                assert isinstance(field, NumberField), (form_class, name, type(field))
                numeric.append(f"{form_class.__name__}.{name}")
    # Counts, seats and years among them: they were the browser's number input before.
    for name in (
        "TeamForm.seats",
        "SponsorForm.sponsor_seats",
        "FundingCommitmentForm.first_year",
        "BudgetLineForm.year",
        "EngagementActivityForm.target_number",
        "IndicatorForm.decimal_places",
        "IndicatorForm.change_warning_percent",
    ):
        assert name in numeric


def test_no_template_asks_for_the_browsers_number_input():
    roots = [
        Path(settings.BASE_DIR) / app
        for app in ("templates", "backbone", "stakeholders", "initiatives", "measures", "plans")
    ]
    offenders = [
        str(path)
        for root in roots
        for path in root.rglob("*.html")
        if 'type="number"' in path.read_text(encoding="utf-8")
    ]
    assert offenders == []


class Seats(forms.Form):
    seats = WholeNumberField(min_value=0)
    year = WholeNumberField(grouping=False)


def test_a_whole_number_is_typed_as_people_write_it_and_a_year_is_not_grouped():
    with translation.override("en"):
        form = Seats({"seats": "1,200", "year": "2027"})
        assert form.is_valid(), form.errors
        assert form.cleaned_data == {"seats": 1200, "year": 2027}
        assert isinstance(form.cleaned_data["seats"], int)
        shown = Seats(initial={"seats": 12000, "year": 2027})
        assert 'value="12,000"' in str(shown["seats"]) and 'value="2027"' in str(shown["year"])
        assert 'inputmode="numeric"' in str(shown["seats"])
        assert "Enter a whole number." in str(Seats({"seats": "12.5", "year": "2027"}).errors)
        assert not Seats({"seats": "-1", "year": "2027"}).is_valid()


def test_french_is_written_the_canadian_way():
    day = dt.date(2026, 12, 3)
    with translation.override("fr"):
        assert date_format(day) == "3 décembre 2026"
        assert date_format(day, "SHORT_DATE_FORMAT") == "2026-12-03"
        assert date_format(dt.time(14, 30), "TIME_FORMAT") == "14 h 30"
        assert number(Decimal("10176.0000")) == "10\u00a0176"
        assert money(Decimal("12500.00")) == "12\u00a0500\u00a0$"
        assert money(Decimal("12500.5")) == "12\u00a0500,50\u00a0$"
        assert parse_number("12\u00a0500,50\u00a0$") == "12500.50"
    with translation.override("en"):
        assert date_format(day) == "Dec. 3, 2026"
        assert money(Decimal("12500.00")) == "$12,500"
        assert money(Decimal("-3000")) == "-$3,000"
        assert money(Decimal("85000"), 2) == "$85,000.00"
    with translation.override("fr"):
        assert money(Decimal("85000"), 2) == "85\u00a0000,00\u00a0$"
