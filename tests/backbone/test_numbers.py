"""Numbers are shown in the organization's locale and accepted back in that form."""

from decimal import Decimal

import pytest
from django import forms
from django.utils import translation

from backbone.forms import NumberField, NumberInput, display_number, parse_number


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
