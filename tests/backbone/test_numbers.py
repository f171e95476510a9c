"""Numbers are shown in the organization's locale and accepted back in that form."""

import datetime as dt
from decimal import Decimal

import pytest
from django import forms
from django.utils import translation
from django.utils.formats import date_format

from backbone.forms import NumberField, NumberInput, display_number, parse_number
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
