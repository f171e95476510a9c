"""The versions of an indicator's definition: values keep the definition they were
collected under ("an edit never rewrites the past").

Once an indicator has values, its name and definition are versioned. Changing them starts
a new version that applies to the periods starting on or after a chosen date
(`indicator_revise`: the one function that both the yearly review's "revise" and the edit
form call); a typo fix corrects the current version's text in place and is recorded as a
correction (`indicator_definition_correct`). An indicator without values yet is simply
corrected in place. A period is read under one version: the last one that applied when
the period started (`definition_of`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Exists, Max, OuterRef, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _

from backbone.models import User
from backbone.stale import note_editor, require_unchanged

from .chart_cache import measures_bump
from .models import DataPoint, Indicator, IndicatorDefinition
from .periods import period_containing

# The indicator's fields a version holds.
VERSIONED = ("name", "definition")


def definition_versions(indicator: Indicator) -> list[IndicatorDefinition]:
    """The indicator's definitions, oldest first; an indicator never revised has one,
    its own, shown as version 1 (not stored)."""
    versions = list(indicator.definitions.select_related("created_by", "corrected_by"))
    return versions or [_unstored_first(indicator)]


def _unstored_first(indicator: Indicator) -> IndicatorDefinition:
    return IndicatorDefinition(
        indicator=indicator, number=1, name=indicator.name, definition=indicator.definition
    )


def definition_of(versions: list[IndicatorDefinition], start: dt.date) -> IndicatorDefinition:
    """The version a value of the period starting on `start` was collected under."""
    found = versions[0]
    for version in versions:
        if version.applies_from is None or version.applies_from <= start:
            found = version
    return found


def period_definition(
    indicator: Indicator, key: str, versions: list[IndicatorDefinition]
) -> IndicatorDefinition:
    """The version the value of `indicator`'s period `key` is read under (the current one
    for a key that is no period of the indicator's)."""
    try:
        start = indicator.period(key).start
    except ValueError:
        return versions[-1]
    return definition_of(versions, start)


def data_point_definitions(
    indicator: Indicator, points: list[DataPoint]
) -> list[IndicatorDefinition]:
    """Mark each point with `definition` (the version it was collected under); returns the
    versions. One query."""
    versions = definition_versions(indicator)
    for point in points:
        point.definition = period_definition(indicator, point.period, versions)
    return versions


def versions_by_indicator(indicators: Iterable[int]) -> dict[int, list[IndicatorDefinition]]:
    """The stored versions of each of the indicators (ids), oldest first. One query; an
    indicator never revised is absent."""
    found: dict[int, list[IndicatorDefinition]] = {}
    for version in IndicatorDefinition.objects.filter(indicator_id__in=indicators):
        found.setdefault(version.indicator_id, []).append(version)
    return found


def version_number(indicator: Indicator, key: str, stored: list[IndicatorDefinition]) -> int:
    """The number of the version `indicator`'s period `key` is read under, given its
    stored versions (see `versions_by_indicator`). Called for every row of an export: an
    indicator never revised answers at once."""
    if not stored:
        return 1
    return period_definition(indicator, key, stored).number


def has_values(indicator: Indicator) -> bool:
    """Whether anything was reported for the indicator: its text is then versioned."""
    return indicator.data_points.exists()


@dataclass(frozen=True)
class DefinitionFacts:
    """What the edit form asks of an indicator's values and versions (`definition_facts`)."""

    has_values: bool
    latest_period: str | None  # the last period with any value
    current_number: int  # the current version's number (1 when never revised)
    last_applies_from: dt.date | None  # from when the current stored version applies


def definition_facts(indicator: Indicator) -> DefinitionFacts:
    """Whether the indicator has values, its last period with one, and its current
    version's number and start: one query (the edit form asked four)."""
    points = DataPoint.objects.filter(indicator_id=OuterRef("pk"))
    versions = IndicatorDefinition.objects.filter(indicator_id=OuterRef("pk")).order_by("-number")
    row = (
        Indicator.objects.filter(pk=indicator.pk)
        .values(
            has_values=Exists(points),
            latest=Subquery(points.order_by("-period").values("period")[:1]),
            number=Subquery(versions.values("number")[:1]),
            last_start=Subquery(versions.values("applies_from")[:1]),
        )
        .get()
    )
    return DefinitionFacts(
        has_values=row["has_values"],
        latest_period=row["latest"],
        current_number=row["number"] or 1,
        last_applies_from=row["last_start"],
    )


def default_applies_from(
    indicator: Indicator, today: dt.date, facts: DefinitionFacts | None = None
) -> dt.date:
    """Where a coordinator expects a new definition to start: the first period after the
    last one with any value (what was reported was collected under the current text, and a
    period is read under one version), or the period holding `today` when that is later;
    never on or before the current version's own start. `facts`: already read."""
    start = period_containing(today, indicator.frequency).start
    if facts is not None:
        latest = facts.latest_period
    else:
        latest = indicator.data_points.aggregate(latest=Max("period"))["latest"]
    try:
        after_values = indicator.period(latest).next().start if latest else start
    except ValueError:
        after_values = start
    start = max(start, after_values)
    if facts is not None:
        last_start = facts.last_applies_from
    else:
        last = indicator.definitions.order_by("-number").values_list("applies_from", flat=True)
        last_start = last.first()
    if last_start and start <= last_start:
        start = period_containing(last_start, indicator.frequency).next().start
    return start


@transaction.atomic
def indicator_revise(
    *,
    indicator: Indicator,
    name: str,
    definition: str,
    by: User,
    applies_from: dt.date,
    field: str = "new_definition",
) -> IndicatorDefinition:
    """A new version of the indicator's definition for periods starting on or after
    `applies_from`; the one it replaces is kept (stored as version 1 on the first revision).
    A refusal about the text names the form's `field`, one about the date `applies_from`."""
    indicator = Indicator.objects.select_for_update().get(pk=indicator.pk)
    definition = definition.strip()
    name = name.strip() or indicator.name
    if not definition:
        raise ValidationError({field: _("Give the new definition.")})
    if definition == indicator.definition and name == indicator.name:
        raise ValidationError({field: _("The new definition is the same as the current one.")})
    last = indicator.definitions.order_by("-number").first()
    if last is None:
        last = IndicatorDefinition.objects.create(
            organization_id=indicator.organization_id,
            indicator=indicator,
            number=1,
            name=indicator.name,
            definition=indicator.definition,
        )
    if last.applies_from and applies_from <= last.applies_from:
        raise ValidationError(
            {
                "applies_from": _(
                    "Version %(number)s applies from %(date)s: a new version must start after it."
                )
                % {"number": last.number, "date": last.applies_from.isoformat()}
            }
        )
    version = IndicatorDefinition.objects.create(
        organization_id=indicator.organization_id,
        indicator=indicator,
        number=last.number + 1,
        name=name,
        definition=definition,
        applies_from=applies_from,
        created_by=by,
    )
    indicator.name, indicator.definition = name, definition
    indicator.save(update_fields=["name", "definition"])
    return version


@transaction.atomic
def indicator_definition_correct(
    *, indicator: Indicator, name: str, definition: str, by: User, record: bool = True
) -> IndicatorDefinition | None:
    """Fix the current version's text in place (a typo, not a new meaning): every value
    keeps its version. `record`: the version says who corrected it and when (stored as
    version 1 if it was not yet); otherwise only a stored version is brought in line."""
    last = indicator.definitions.select_for_update().order_by("-number").first()
    if last is None and not record:
        version = None
    else:
        version = last or IndicatorDefinition(
            organization_id=indicator.organization_id, indicator=indicator, number=1
        )
        version.name, version.definition = name, definition
        if record:
            version.corrected_by, version.corrected_at = by, timezone.now()
        version.save()
    Indicator.objects.filter(pk=indicator.pk).update(name=name, definition=definition)
    measures_bump(indicator.organization_id)  # the update skips save()
    indicator.name, indicator.definition = name, definition
    return version


@transaction.atomic
def indicator_update(
    *,
    indicator: Indicator,
    names: list[str],
    seen: str | None,
    by: User,
    applies_from: dt.date | None = None,
    correction: bool = False,
) -> Indicator:
    """Save the edit form's changes to `indicator` (its fields set, not saved yet), unless
    someone saved it since the form opened (`seen`, over the fields `names`). A new name or
    definition of an indicator with values starts a new version from `applies_from`, or
    with `correction` fixes the current version's text (recorded as a correction); an
    indicator without values is corrected in place."""
    require_unchanged(indicator, names, seen)
    stored = Indicator.objects.get(pk=indicator.pk)
    name, definition = indicator.name.strip(), indicator.definition.strip()
    if (name, definition) != (stored.name, stored.definition):
        valued = has_values(stored)
        if correction or not valued:
            indicator_definition_correct(
                indicator=stored, name=name, definition=definition, by=by, record=valued
            )
        elif applies_from is None:
            raise ValidationError({"applies_from": _("Say from when the new definition applies.")})
        else:
            indicator_revise(
                indicator=stored,
                name=name,
                definition=definition,
                by=by,
                applies_from=applies_from,
                field="definition",
            )
    indicator.name, indicator.definition = name, definition
    indicator.save()
    note_editor(indicator, names, by)
    return indicator
