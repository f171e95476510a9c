"""The rules of a partner's CSV upload (`measures.partner_imports`): narrowed to its own
partner, period and requested indicators, then the entry form's own rules."""

from decimal import Decimal

from django_scopes import scope

from measures import partner_imports
from measures.models import DataPoint

from .factories import DataPointFactory, DataRequestFactory, IndicatorFactory

PERIOD = "2026-Q3"


def row(indicator="Households using the food bank", partner="Riverside Food Bank", **cells):
    record = {
        "indicator": indicator,
        "partner": partner,
        "period": PERIOD,
        "disaggregation": "",
        "value": "120",
        "comment": "",
    }
    record.update(cells)
    return record


def check(world, measures, *records):
    with scope(organization=world.org):
        owing = partner_imports.owed(measures.initiative, measures.food_bank, PERIOD)
        return partner_imports.partner_rows_check(
            [(line, record) for line, record in enumerate(records, start=2)], owing
        )


def test_a_row_of_its_own_owed_values_has_no_problem(world, measures):
    [checked] = check(world, measures, row())
    assert (checked.errors, checked.value) == ([], Decimal("120"))


def test_another_partners_row_is_a_row_error(world, measures):
    [checked] = check(world, measures, row(partner="City of Riverside Social Services"))
    assert checked.errors == ["This file is for Riverside Food Bank only."]


def test_another_periods_row_is_a_row_error(world, measures):
    [checked] = check(world, measures, row(period="2026-Q2"))
    assert checked.errors == [
        "This file is for 2026-Q3 only; upload another period's values on its page."
    ]


def test_an_indicator_not_requested_from_this_partner_is_a_row_error(world, measures):
    other = IndicatorFactory(initiative=measures.initiative, name="Meals served")
    DataRequestFactory(indicator=other, partner=measures.other)  # asked of the other one only
    [checked] = check(world, measures, row(indicator="Meals served"))
    assert checked.errors == ["Your organization was not asked to report this indicator."]


def test_extra_cells_an_unknown_cell_a_blank_value_and_a_repeat_are_row_errors(world, measures):
    checked = check(
        world,
        measures,
        row(extra_cells="1"),
        row(disaggregation="Age 0–5"),
        row(value=""),
        row(),
    )
    assert [r.errors for r in checked] == [
        ["This row has more cells than the file has columns: check its commas and quotes."],
        ["This indicator has no such disaggregation."],
        ["The same value appears twice in the file.", "Enter a value, or remove the row."],
        ["The same value appears twice in the file."],
    ]


def test_the_entry_forms_rules_apply_fraction_future_period_and_approved(world, measures):
    [fraction] = check(world, measures, row(value="12.5"))
    assert fraction.errors == ["This is a count: enter a whole number, like 12 or 13."]
    with scope(organization=world.org):
        owing = partner_imports.owed(measures.initiative, measures.food_bank, "2027-Q1")
        [future] = partner_imports.partner_rows_check([(2, row(period="2027-Q1"))], owing)
    assert future.errors == ["2027-Q1 has not started yet; enter its values once it has."]
    DataPointFactory(
        indicator=measures.indicator,
        partner=measures.food_bank,
        period=PERIOD,
        status=DataPoint.Status.APPROVED,
    )
    [approved] = check(world, measures, row())
    assert approved.errors == [
        "This value was approved already; ask the backbone if it must change."
    ]


def test_a_big_jump_needs_the_rows_comment(world, measures):
    DataPointFactory(
        indicator=measures.indicator,
        partner=measures.food_bank,
        period="2026-Q1",
        value=Decimal("100"),
        status=DataPoint.Status.APPROVED,
    )
    [bare] = check(world, measures, row(value="900"))
    assert bare.errors[-1] == "Say why in the row's comment to confirm it."
    assert "away from the last approved value (2026-Q1: 100)" in bare.errors[0]
    [alone] = check(world, measures, row(value="900", comment="A second site opened"))
    assert alone.errors == []


def test_the_template_lists_what_is_owed_and_still_open(world, measures):
    ages = IndicatorFactory(
        initiative=measures.initiative,
        name="Hampers given",
        disaggregation={"Age group": ["0–17", "18+"]},
    )
    DataRequestFactory(indicator=ages, partner=measures.food_bank)
    DataPointFactory(
        indicator=ages,
        partner=measures.food_bank,
        period=PERIOD,
        cell="",
        value=Decimal("40"),
        status=DataPoint.Status.APPROVED,
    )
    DataPointFactory(
        indicator=measures.indicator,
        partner=measures.food_bank,
        period=PERIOD,
        value=Decimal("1250"),
        status=DataPoint.Status.DRAFT,
        comment="so far",
    )
    with scope(organization=world.org):
        owing = partner_imports.owed(measures.initiative, measures.food_bank, PERIOD)
        rows = list(partner_imports.template_rows(owing))
    assert rows == [
        ["Hampers given", "Riverside Food Bank", PERIOD, "Age group: 0–17", "", ""],
        ["Hampers given", "Riverside Food Bank", PERIOD, "Age group: 18+", "", ""],
        ["Households using the food bank", "Riverside Food Bank", PERIOD, "", "1,250", "so far"],
    ]
