"""DataEntryForm: the v-<indicator id>-<cell index> keys of the entry form."""

from django_scopes import scope

from measures.forms import DataEntryForm, parse_value_field, value_field

from .factories import DataPointFactory


def test_value_fields_name_an_indicator_and_a_cell():
    assert value_field(12, 3) == "v-12-3"
    assert parse_value_field("v-12-3") == (12, 3)
    assert parse_value_field("v-12") is None
    assert parse_value_field("ver-12-3") is None
    assert parse_value_field("v-x-1") is None


def test_a_value_of_an_indicator_not_in_the_form_is_a_form_error(world, measures):
    with scope(organization=world.org):
        form = DataEntryForm(
            {f"v-{measures.indicator.pk + 1000}-0": "5"},
            indicators=[measures.indicator],
            points={},
            by_staff=False,
        )
        assert not form.is_valid()
        assert "was not asked to report some of these values" in form.non_field_errors()[0]
        assert form.entries() == []


def test_typed_values_become_entries_with_their_comment_and_version(world, measures):
    pk = measures.indicator.pk
    with scope(organization=world.org):
        form = DataEntryForm(
            {f"v-{pk}-0": " 1,250 ", f"ver-{pk}-0": "3", f"c-{pk}": "Winter", f"ok-{pk}": "1"},
            indicators=[measures.indicator],
            points={},
            by_staff=False,
        )
        assert form.is_valid()
        (entry,) = form.entries()
    assert (entry.field, entry.cell, entry.raw, entry.version) == (f"v-{pk}-0", "", "1,250", 3)
    assert (entry.comment, entry.confirmed) == ("Winter", True)


def test_an_approved_value_is_locked_for_the_partner_but_not_for_the_backbone(world, measures):
    point = DataPointFactory(
        indicator=measures.indicator, partner=measures.food_bank, status="approved"
    )
    data = {f"v-{measures.indicator.pk}-0": "99"}
    points = {(measures.indicator.pk, ""): point}
    with scope(organization=world.org):
        for by_staff, expected in ((False, 0), (True, 1)):
            form = DataEntryForm(
                data, indicators=[measures.indicator], points=points, by_staff=by_staff
            )
            assert form.is_valid()
            assert len(form.entries()) == expected
            assert form.rows(points)[0]["cells"][0]["locked"] is not by_staff
