"""An indicator's values are written in the reader's language: "10 176,5 %" in French."""

from decimal import Decimal

from django.utils import translation

from measures.models import Indicator


def test_values_are_written_the_french_way_in_french():
    percent = Indicator(unit="percent", decimal_places=1)
    money = Indicator(unit="currency", decimal_places=0)
    rate = Indicator(unit="rate_1000", decimal_places=1)
    count = Indicator(unit="number", decimal_places=0)
    with translation.override("fr"):
        assert percent.format_value(Decimal("14.90")) == "14,9\u00a0%"
        assert money.format_value(Decimal("12500")) == "12\u00a0500\u00a0$"
        assert rate.format_value(Decimal("3.25")) == "3,2 / 1\u00a0000"
        assert count.format_value(Decimal("10176")) == "10\u00a0176"
    with translation.override("en"):
        assert percent.format_value(Decimal("14.90")) == "14.9 %"
        assert money.format_value(Decimal("12500")) == "$12,500"
        assert rate.format_value(Decimal("3.25")) == "3.2 / 1,000"
        assert count.format_value(Decimal("10176")) == "10,176"
