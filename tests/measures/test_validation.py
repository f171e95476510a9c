from decimal import Decimal

from measures.models import Indicator
from measures.validation import check_value


def indicator(**fields):
    return Indicator(
        name="x", unit=fields.pop("unit", "number"), change_warning_percent=25, **fields
    )


def test_text_in_a_number_field_is_refused_with_a_clear_message():
    assert check_value(indicator(), "about forty").errors == ["Enter a number, like 42 or 12.5."]


def test_a_percent_of_140_is_refused():
    assert check_value(indicator(unit="percent"), "140").errors == [
        "A percentage must be between 0 and 100."
    ]
    assert check_value(indicator(unit="percent"), "72.5").errors == []


def test_a_count_cannot_be_negative():
    assert check_value(indicator(), "-3").errors == ["This count cannot be negative."]


def test_the_indicators_own_bounds_apply():
    bounded = indicator(minimum=Decimal("10"), maximum=Decimal("20"))
    assert check_value(bounded, "25").errors == [
        "The highest plausible value for this indicator is 20."
    ]
    assert check_value(bounded, "5").errors == [
        "The lowest plausible value for this indicator is 10."
    ]


def test_values_are_decimals_not_floats():
    verdict = check_value(indicator(decimal_places=1), "0.1")
    assert verdict.value == Decimal("0.1")
    assert isinstance(verdict.value, Decimal)


def test_a_big_jump_from_the_previous_period_warns_but_does_not_block():
    verdict = check_value(indicator(), "150", previous=Decimal("100"))
    assert verdict.errors == []
    assert "50% away from the previous period" in verdict.warnings[0]
    assert check_value(indicator(), "110", previous=Decimal("100")).warnings == []
