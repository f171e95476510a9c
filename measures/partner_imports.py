"""A partner uploads a CSV of its own values for one period: the template lists exactly
what it owes; the upload is kept as the same stored preview as the backbone's import
(`measures.imports`, an ImportBatch of kind VALUES) and checked by the same rules as the
entry form (`services.value_verdict`), narrowed to this partner, this period and the
indicators it was asked for. Confirming saves every row as a draft or submits every row
(as the form's two buttons do), all or none; nothing is ever approved here.

A big jump needs a confirming comment, as in the form: the row's comment confirms it.
"""

from collections.abc import Iterator
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from backbone.forms import display_number
from backbone.models import User
from initiatives.models import Initiative
from stakeholders.importing import batch_close, batch_lock, batch_store
from stakeholders.models import ImportBatch, ImportKind, Partner

from . import selectors
from .imports import ImportRow, values_csv_read
from .models import DataPoint, Indicator
from .periods import parse_period
from .services import data_point_locked, data_point_save, value_verdict

TEMPLATE_COLUMNS = ["indicator", "partner", "period", "disaggregation", "value", "comment"]


@dataclass
class PartnerRow(ImportRow):
    """A row of the partner's file: the backbone import's row, with a comment."""

    comment: str = ""


@dataclass
class Owed:
    """What the partner owes for the period, read in a fixed number of queries."""

    partner: Partner
    period: str
    indicators: list[Indicator]
    points: dict[tuple[int, str], DataPoint]
    history: dict[tuple[int, str], list]


def owed(initiative: Initiative, partner: Partner, period: str) -> Owed:
    indicators = selectors.requested_indicators(initiative, partner, period)
    return Owed(
        partner=partner,
        period=period,
        indicators=indicators,
        points=selectors.entry_points(indicators, partner, period),
        history=selectors.previous_values(indicators, partner),
    )


def template_rows(owing: Owed) -> Iterator[list[str]]:
    """The template's rows: one per indicator and disaggregation cell the partner owes and
    may still change, with the value saved so far (a draft, a returned value)."""
    for indicator in owing.indicators:
        for cell in indicator.cells:
            point = owing.points.get((indicator.pk, cell))
            if data_point_locked(point, by_staff=False):
                continue
            value = "" if point is None else display_number(point.value)
            comment = "" if point is None else point.comment
            yield [indicator.name, owing.partner.name, owing.period, cell, value, comment]


def partner_rows_check(parsed: list[tuple[int, dict[str, str]]], owing: Owed) -> list[PartnerRow]:
    """Every row with its problems: first the narrowing (this partner, this period, an
    indicator and cell it was asked for, once), then the entry form's own rules."""
    asked = {i.name.casefold(): i for i in owing.indicators}
    rows, seen = [], set()
    for line, record in parsed:
        row = PartnerRow.read(line, record, comment=record.get("comment", ""))
        rows.append(row)
        if row.partner_name.casefold() != owing.partner.name.casefold():
            row.errors.append(
                _("This file is for %(partner)s only.") % {"partner": owing.partner.name}
            )
        if row.period != owing.period:
            row.errors.append(
                _("This file is for %(period)s only; upload another period's values on its page.")
                % {"period": owing.period}
            )
        row.indicator = asked.get(row.indicator_name.casefold())
        if row.indicator is None:
            row.errors.append(_("Your organization was not asked to report this indicator."))
            continue
        if row.cell not in row.indicator.cells:
            row.errors.append(_("This indicator has no such disaggregation."))
        key = (row.indicator.pk, row.cell)
        if key in seen:
            row.errors.append(_("The same value appears twice in the file."))
        seen.add(key)
        if row.errors or not row.raw_value:
            if not row.raw_value:
                row.errors.append(_("Enter a value, or remove the row."))
            continue
        _verdict(row, owing)
    return rows


def _verdict(row: PartnerRow, owing: Owed) -> None:
    """The entry form's rules (`services.value_verdict`) on a row that names what it may."""
    indicator, cell = row.indicator, row.cell
    here = parse_period(owing.period, indicator.frequency)
    try:
        verdict = value_verdict(
            indicator=indicator,
            period_key=here.key,
            point=owing.points.get((indicator.pk, cell)),
            value=row.raw_value,
            previous=selectors.previous_among(
                indicator, here, owing.history.get((indicator.pk, cell), [])
            ),
            comment=row.comment,
            confirmed=True,  # the row's comment is the confirmation
        )
    except ValidationError as error:
        messages = error.messages
        if any(getattr(e, "code", "") == "needs_confirmation" for e in error.error_list):
            messages = [*messages, _("Say why in the row's comment to confirm it.")]
        row.errors.extend(messages)
    else:
        row.value = verdict.value


def partner_values_prepare(
    *, initiative: Initiative, owing: Owed, filename: str, raw: bytes, created_by: User
) -> ImportBatch:
    """Keep the uploaded file's rows as a preview to confirm; nothing is saved yet.
    Raises ValidationError when the file can't be read."""
    parsed = values_csv_read(raw, optional=("comment",))
    return batch_store(
        organization=initiative.organization,
        kind=ImportKind.VALUES,
        filename=filename,
        rows=[{"line": line, "parsed": record} for line, record in parsed],
        created_by=created_by,
        destination_id=initiative.pk,
        result={"partner": owing.partner.pk, "period": owing.period},
    )


def batch_rows(batch: ImportBatch, owing: Owed) -> list[PartnerRow]:
    """The batch's rows checked against what the partner owes now."""
    return partner_rows_check([(row["line"], row["parsed"]) for row in batch.rows], owing)


@transaction.atomic
def partner_values_apply(*, batch: ImportBatch, owing: Owed, user: User, submit: bool) -> int:
    """Confirm a preview, once: every row saved as a draft or submitted, or none (a row
    with a problem, or one the save refuses, stops it all). Never approves."""
    batch = batch_lock(batch)
    rows = batch_rows(batch, owing)
    if not rows or any(row.errors for row in rows):
        raise ValidationError(_("Correct the rows with problems first."))
    for row in rows:
        try:
            data_point_save(
                indicator=row.indicator,
                period=owing.period,
                partner=owing.partner,
                cell=row.cell,
                value=row.raw_value,
                user=user,
                submit=submit,
                comment=row.comment,
                confirmed=True,
            )
        except ValidationError as error:
            raise ValidationError(
                _("Line %(line)s: %(problem)s")
                % {"line": row.line, "problem": " ".join(error.messages)}
            ) from None
    batch_close(batch, status=ImportBatch.Status.APPLIED, rows=batch.rows, result=batch.result)
    return len(rows)
