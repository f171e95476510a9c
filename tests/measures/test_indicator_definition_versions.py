"""Editing an indicator's name or definition never rewrites what its past values meant:
with values it starts a definition version (or, for a typo, records a correction); without
values it is corrected in place (issue 15)."""

import csv
import datetime
import io
import re

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.html import escape
from django_scopes import scope

from measures.definitions import (
    DefinitionFacts,
    data_point_definitions,
    default_applies_from,
    definition_facts,
    indicator_revise,
    indicator_update,
)
from measures.models import DataPoint, Indicator, IndicatorDefinition

from .factories import DataPointFactory
from .test_indicators_views import edit_data

APPROVED = DataPoint.Status.APPROVED
OLD = "Households whose after-tax income is below the low-income measure."
NEW = "Households served at least once in the quarter."


def url(name, world, **kwargs):
    return reverse(f"measures:{name}", kwargs={"org_slug": world.org.slug, **kwargs})


def edit(world, indicator) -> str:
    return url("indicator_edit", world, indicator_id=indicator.pk)


def page(world, indicator) -> str:
    return url("indicator_detail", world, indicator_id=indicator.pk)


def form_data(client, world, indicator, **changes) -> dict:
    """The edit form as it opens (its hidden fingerprint included), with `changes`."""
    opened = client.get(edit(world, indicator)).content.decode()
    seen = re.search(r'name="seen" value="([0-9a-f]*)"', opened).group(1)
    data = edit_data(indicator, definition=indicator.definition, is_active="1", seen=seen)
    return {**data, **changes}


def versions(indicator) -> list[tuple]:
    return list(
        IndicatorDefinition.objects.filter(indicator=indicator).values_list(
            "number", "definition", "applies_from"
        )
    )


@pytest.fixture
def indicator(world, measures) -> Indicator:
    with scope(organization=world.org):
        Indicator.objects.filter(pk=measures.indicator.pk).update(definition=OLD)
        measures.indicator.refresh_from_db()
    return measures.indicator


def changed(indicator, **fields) -> Indicator:
    """The indicator as an edit form leaves it: fields set, not saved."""
    copy = Indicator.objects.get(pk=indicator.pk)
    for name, value in fields.items():
        setattr(copy, name, value)
    return copy


def update(indicator, *, by, applies_from=None, correction=False, **fields) -> Indicator:
    """Save the edit form's `fields` as `by`, unchecked for stale saves."""
    return indicator_update(
        indicator=changed(indicator, **fields),
        names=["name", "definition"],
        seen=None,
        by=by,
        applies_from=applies_from,
        correction=correction,
    )


def revise(world, indicator, definition: str, applies_from: datetime.date):
    """The coordinator revises the definition, as the yearly review does."""
    return indicator_revise(
        indicator=indicator,
        name=indicator.name,
        definition=definition,
        by=world.coordinator,
        applies_from=applies_from,
    )


# The rule ------------------------------------------------------------------------------


def test_a_new_definition_of_an_indicator_with_values_starts_a_version(world, indicator):
    DataPointFactory(indicator=indicator, period="2026-Q2", status=APPROVED)
    with scope(organization=world.org):
        update(
            indicator, definition=NEW, by=world.coordinator, applies_from=datetime.date(2026, 10, 1)
        )
        assert versions(indicator) == [
            (1, OLD, None),
            (2, NEW, datetime.date(2026, 10, 1)),
        ]
        second = IndicatorDefinition.objects.get(indicator=indicator, number=2)
        indicator.refresh_from_db()
        points = [
            DataPoint(indicator=indicator, period=key) for key in ("2026-Q2", "2026-Q3", "2026-Q4")
        ]
        data_point_definitions(indicator, points)
    assert second.created_by == world.coordinator
    assert indicator.definition == NEW
    assert [p.definition.number for p in points] == [1, 1, 2]


def test_an_indicator_without_values_is_corrected_in_place_without_versions(world, indicator):
    with scope(organization=world.org):
        update(
            indicator,
            definition=NEW,
            name="Households served",
            by=world.coordinator,
            applies_from=datetime.date(2026, 10, 1),
        )
        indicator.refresh_from_db()
        assert versions(indicator) == []
    assert (indicator.name, indicator.definition) == ("Households served", NEW)


def test_a_correction_fixes_the_current_version_in_place_and_is_recorded(world, indicator):
    DataPointFactory(indicator=indicator, period="2026-Q2", status=APPROVED)
    typo_fixed = OLD.replace("after-tax", "after tax")
    with scope(organization=world.org):
        update(indicator, definition=typo_fixed, by=world.admin, correction=True)
        (only,) = IndicatorDefinition.objects.filter(indicator=indicator)
        indicator.refresh_from_db()
        # After a revision, a correction touches the current version only.
        revise(world, indicator, NEW, datetime.date(2027, 1, 1))
        update(indicator, definition=NEW + " (all sites)", by=world.coordinator, correction=True)
        first, second = IndicatorDefinition.objects.filter(indicator=indicator)
        indicator.refresh_from_db()
    assert (only.number, only.definition, only.applies_from) == (1, typo_fixed, None)
    assert only.corrected_by == world.admin and only.corrected_at is not None
    assert (first.definition, first.corrected_by) == (typo_fixed, world.admin)
    assert (second.number, second.definition) == (2, NEW + " (all sites)")
    assert second.corrected_by == world.coordinator
    assert second.applies_from == datetime.date(2027, 1, 1)
    assert indicator.definition == NEW + " (all sites)"


def test_a_version_cannot_start_on_or_before_the_last_versions_start(world, indicator):
    DataPointFactory(indicator=indicator, period="2026-Q2", status=APPROVED)
    with scope(organization=world.org):
        revise(world, indicator, NEW, datetime.date(2027, 1, 1))
        for day in (datetime.date(2027, 1, 1), datetime.date(2026, 7, 1)):
            with pytest.raises(ValidationError) as refused:
                update(
                    indicator, definition="Something else.", by=world.coordinator, applies_from=day
                )
            assert (
                "Version 2 applies from 2027-01-01" in refused.value.message_dict["applies_from"][0]
            )
        assert len(versions(indicator)) == 2


def test_the_proposed_start_follows_the_last_period_with_values(world, indicator):
    today = datetime.date(2026, 10, 14)
    with scope(organization=world.org):
        # Values only long ago: the current period (a period reported in keeps its text).
        DataPointFactory(indicator=indicator, period="2025-Q1", status=APPROVED)
        assert default_applies_from(indicator, today) == datetime.date(2026, 10, 1)
        # A value in the current period, even a draft: from the next one.
        DataPointFactory(indicator=indicator, period="2026-Q4", status=DataPoint.Status.DRAFT)
        assert default_applies_from(indicator, today) == datetime.date(2027, 1, 1)
        # Never on or before the current version's own start.
        revise(world, indicator, NEW, datetime.date(2027, 4, 1))
        assert default_applies_from(indicator, today) == datetime.date(2027, 7, 1)
        # The edit form reads the same facts in one query.
        with CaptureQueriesContext(connection) as queries:
            facts = definition_facts(indicator)
        assert len(queries) == 1
        assert facts == DefinitionFacts(True, "2026-Q4", 2, datetime.date(2027, 4, 1))
        assert default_applies_from(indicator, today, facts) == datetime.date(2027, 7, 1)


def test_the_facts_of_an_indicator_without_values_or_versions(world, indicator):
    with scope(organization=world.org):
        assert definition_facts(indicator) == DefinitionFacts(False, None, 1, None)


# The form and the page -----------------------------------------------------------------


def test_the_form_says_a_change_starts_a_version_and_proposes_its_start(world, login, indicator):
    client = login(world.coordinator)
    plain = client.get(edit(world, indicator)).content.decode()
    assert 'name="applies_from"' not in plain and 'name="correction"' not in plain
    DataPointFactory(indicator=indicator, period="2027-Q1")
    opened = client.get(edit(world, indicator)).content.decode()
    assert "This indicator has values: a new name or definition starts version 2" in opened
    assert "Version 2 applies from" in opened
    assert re.search(r'name="applies_from" value="2027-04-01"', opened)
    assert "This is a correction, not a new definition" in opened


def test_saving_a_new_definition_makes_version_2_shown_on_the_indicator_page(
    world, login, measures, indicator
):
    DataPointFactory(indicator=indicator, period="2026-Q2", status=APPROVED)
    DataPointFactory(indicator=indicator, period="2027-Q1", partner=measures.other)
    client = login(world.coordinator)
    data = form_data(client, world, indicator, definition=NEW, applies_from="2027-01-01")
    response = client.post(edit(world, indicator), data)
    assert response.status_code == 302
    shown = client.get(page(world, indicator)).content.decode()
    history = shown[shown.index('id="definition-history"') :]
    assert "Version 2" in history and "Version 1" in history and OLD in history
    assert f"by {escape(world.coordinator.display_name)} on" in history
    rows = re.findall(r"(\d{4}-Q\d)</a></td>.*?version (\d)</td>", shown, re.S)
    assert rows == [("2027-Q1", "2"), ("2026-Q2", "1")]
    approved = re.findall(
        r'<th scope="row">(\d{4}-Q\d)</th><td class="num">[^<]*</td><td>version (\d)', shown
    )
    assert approved == [("2026-Q2", "1")]


def test_a_new_definition_without_a_start_or_before_the_last_one_is_refused_by_the_field(
    world, login, indicator
):
    DataPointFactory(indicator=indicator, period="2026-Q2", status=APPROVED)
    client = login(world.coordinator)
    empty = client.post(
        edit(world, indicator), form_data(client, world, indicator, definition=NEW, applies_from="")
    )
    assert empty.status_code == 422
    assert empty.context["form"].errors["applies_from"] == [
        "Say from when the new definition applies."
    ]
    assert "Say from when the new definition applies." in empty.content.decode()
    client.post(
        edit(world, indicator),
        form_data(client, world, indicator, definition=NEW, applies_from="2027-01-01"),
    )
    indicator.refresh_from_db()
    early = client.post(
        edit(world, indicator),
        form_data(client, world, indicator, definition="Other.", applies_from="2026-12-31"),
    )
    assert early.status_code == 422
    assert "a new version must start after it" in early.context["form"].errors["applies_from"][0]
    assert "Other." in early.content.decode()  # what was typed is kept
    beyond = client.post(  # past the last year a period can have
        edit(world, indicator),
        form_data(client, world, indicator, definition="Other.", applies_from="9999-12-01"),
    )
    assert beyond.status_code == 422 and "applies_from" in beyond.context["form"].errors
    with scope(organization=world.org):
        assert [number for number, *_ in versions(indicator)] == [1, 2]
        indicator.refresh_from_db()
    assert indicator.definition == NEW


def test_a_correction_through_the_form_keeps_the_version_and_shows_who_corrected(
    world, login, indicator
):
    DataPointFactory(indicator=indicator, period="2026-Q2", status=APPROVED)
    client = login(world.admin)
    fixed = OLD.replace("after-tax", "after tax")
    response = client.post(
        edit(world, indicator),
        form_data(client, world, indicator, definition=fixed, correction="on"),
    )
    assert response.status_code == 302
    with scope(organization=world.org):
        assert versions(indicator) == [(1, fixed, None)]
    history = client.get(page(world, indicator)).content.decode()
    assert f"corrected by {escape(world.admin.display_name)} on" in history
    assert "Version 2" not in history


def test_only_staff_edit_a_definition_and_another_organization_gets_404(world, login, indicator):
    DataPointFactory(indicator=indicator, period="2026-Q2", status=APPROVED)
    for user in (world.partner, world.roundtable):
        client = login(user)
        assert client.get(edit(world, indicator)).status_code == 403
        assert client.post(edit(world, indicator), {"definition": NEW}).status_code == 403
    outsider = login(world.outsider)
    assert outsider.get(edit(world, indicator)).status_code == 404
    with scope(organization=world.org):
        indicator.refresh_from_db()
        assert versions(indicator) == []
    assert indicator.definition == OLD


def test_a_new_version_saved_over_a_change_made_meanwhile_is_refused(world, login, indicator):
    DataPointFactory(indicator=indicator, period="2026-Q2", status=APPROVED)
    mine, theirs = login(world.coordinator), login(world.admin)
    my_form = form_data(mine, world, indicator, definition="Mine.", applies_from="2027-01-01")
    their_form = form_data(theirs, world, indicator, definition=NEW, applies_from="2027-01-01")
    assert theirs.post(edit(world, indicator), their_form).status_code == 302
    response = mine.post(edit(world, indicator), my_form)
    assert response.status_code == 422
    content = response.content.decode()
    assert f"{escape(world.admin.display_name)} changed this since you opened the form" in content
    assert "Mine." in content
    with scope(organization=world.org):
        assert [d for _, d, _ in versions(indicator)] == [OLD, NEW]


def test_the_indicator_page_runs_as_many_queries_with_a_longer_history(world, login, indicator):
    client = login(world.coordinator)
    counts = []
    year = 2020
    for size in (2, 7):
        with scope(organization=world.org):
            while IndicatorDefinition.objects.filter(indicator=indicator).count() < size:
                year += 1
                DataPointFactory(indicator=indicator, period=f"{year}-Q1", status=APPROVED)
                revise(world, indicator, f"Definition of {year}.", datetime.date(year, 1, 1))
        client.get(page(world, indicator))
        with CaptureQueriesContext(connection) as queries:
            shown = client.get(page(world, indicator)).content.decode()
        counts.append(len(queries))
        assert f"Version {size}" in shown
    assert counts[0] == counts[1], counts


def test_the_values_export_says_which_version_each_value_is_read_under(
    world, login, measures, indicator
):
    DataPointFactory(indicator=indicator, period="2026-Q2", status=APPROVED)
    DataPointFactory(
        indicator=indicator,
        period="2027-Q1",
        status=APPROVED,
        partner=measures.other,
    )
    with scope(organization=world.org):
        revise(world, indicator, NEW, datetime.date(2027, 1, 1))
    response = login(world.coordinator).get(
        url("export", world, initiative_id=indicator.initiative_id)
    )
    rows = list(csv.DictReader(io.StringIO(response.getvalue().decode("utf-8-sig"))))
    assert [(r["period"], r["definition_version"]) for r in rows] == [
        ("2026-Q2", "1"),
        ("2027-Q1", "2"),
    ]
