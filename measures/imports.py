"""CSV import of values: parse and check every row first (the preview), then save all
rows in one transaction (the confirmation). Imported values go to the approval queue.

The preview is an ImportBatch of kind VALUES, kept by the registry's import steps
(`stakeholders.importing`): the one import-preview mechanism of the project.
"""

from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from backbone.models import User
from backbone.spreadsheets import MAX_ROWS, CsvFileError, csv_table
from initiatives.models import Initiative
from stakeholders.importing import batch_close, batch_lock, batch_store
from stakeholders.models import ImportBatch, ImportKind, Partner

from .models import DataPoint, Indicator
from .services import data_point_save
from .validation import check_value

COLUMNS = ["indicator", "period", "partner", "disaggregation", "value"]
EXTRA_CELLS = "extra_cells"  # set on a row with more cells than the header has columns
MAX_BYTES = 2_000_000


@dataclass
class ImportRow:
    line: int
    indicator_name: str
    period: str
    partner_name: str
    cell: str
    raw_value: str
    indicator: Indicator | None = None
    partner: Partner | None = None
    value: Decimal | None = None
    errors: list[str] = field(default_factory=list)

    @classmethod
    def read(cls, line: int, record: dict[str, str], **more) -> "ImportRow":
        """A row of `values_csv_read`, with the problem of its shape (extra cells) listed."""
        row = cls(
            line=line,
            indicator_name=record["indicator"],
            period=record["period"],
            partner_name=record["partner"],
            cell=record["disaggregation"],
            raw_value=record["value"],
            **more,
        )
        if record.get(EXTRA_CELLS):
            row.errors.append(
                _("This row has more cells than the file has columns: check its commas and quotes.")
            )
        return row


def values_csv_read(
    raw: bytes, *, optional: tuple[str, ...] = ()
) -> list[tuple[int, dict[str, str]]]:
    """(line, {column: cell}) of every row of an uploaded file (the `optional` columns ""
    when the file has none); ValidationError (a message for the person) when the file
    can't be read as a whole."""
    if len(raw) > MAX_BYTES:
        raise ValidationError(_("The file is larger than 2 MB."))
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ValidationError(_("Save the file as CSV in UTF-8 and upload it again.")) from None
    try:
        table = csv_table(text.lstrip("\ufeff"), max_rows=MAX_ROWS)
    except CsvFileError as exc:
        raise ValidationError(str(exc)) from None
    headers = [h.strip().lower() for h in table[0]] if table else []
    missing = [c for c in COLUMNS if c not in headers]
    if missing:
        raise ValidationError(
            _("The file needs the columns: %(columns)s.") % {"columns": ", ".join(COLUMNS)}
        )
    parsed = []
    for number, cells in enumerate(table[1:], start=2):
        if not cells:
            continue
        record = dict(zip(headers, (cell.strip() for cell in cells), strict=False))
        values = {column: record.get(column, "") for column in (*COLUMNS, *optional)}
        if any(cell.strip() for cell in cells[len(headers) :]):
            values[EXTRA_CELLS] = "1"
        parsed.append((number, values))
    return parsed


def values_rows_check(
    parsed: list[tuple[int, dict[str, str]]], *, initiative: Initiative
) -> list[ImportRow]:
    """Every row with what it names resolved and its problems listed."""
    indicators = {
        i.name.casefold(): i
        for i in Indicator.objects.filter(
            organization_id=initiative.organization_id, initiative=initiative
        )
    }
    partners = {
        p.name.casefold(): p
        for p in Partner.objects.filter(organization_id=initiative.organization_id)
    }
    rows = []
    for number, record in parsed:
        row = ImportRow.read(number, record)
        row.indicator = indicators.get(row.indicator_name.casefold())
        row.partner = partners.get(row.partner_name.casefold())
        if row.indicator is None:
            row.errors.append(_("No indicator of this initiative is called that."))
        if row.partner is None:
            row.errors.append(_("No partner is called that."))
        if row.indicator is not None:
            try:
                row.period = row.indicator.period(row.period).key
            except ValueError:
                row.errors.append(_("Not a reporting period of this indicator."))
            if row.cell not in row.indicator.cells:
                row.errors.append(_("This indicator has no such disaggregation."))
            verdict = check_value(row.indicator, row.raw_value)
            row.errors.extend(verdict.errors)
            row.value = verdict.value
        rows.append(row)
    seen = set()
    for row in rows:
        key = (row.indicator_name.casefold(), row.period, row.partner_name.casefold(), row.cell)
        if key in seen:
            row.errors.append(_("The same value appears twice in the file."))
        seen.add(key)
    return rows


def values_import_prepare(
    *, initiative: Initiative, filename: str, raw: bytes, created_by: User
) -> ImportBatch:
    """Keep the uploaded file's rows as a preview to confirm; nothing is saved yet.
    Raises ValidationError when the file can't be read."""
    return batch_store(
        organization=initiative.organization,
        kind=ImportKind.VALUES,
        filename=filename,
        rows=[{"line": line, "parsed": record} for line, record in values_csv_read(raw)],
        created_by=created_by,
        destination_id=initiative.pk,
    )


def values_import_rows(batch: ImportBatch, *, initiative: Initiative) -> list[ImportRow]:
    """The batch's rows checked against the initiative as it is now."""
    return values_rows_check(
        [(row["line"], row["parsed"]) for row in batch.rows], initiative=initiative
    )


@transaction.atomic
def values_import_apply(*, batch: ImportBatch, initiative: Initiative, applied_by: User) -> int:
    """Confirm a preview: save all its rows or none (see `values_import`), once."""
    batch = batch_lock(batch)
    count = values_import(rows=values_import_rows(batch, initiative=initiative), user=applied_by)
    batch_close(
        batch, status=ImportBatch.Status.APPLIED, rows=batch.rows, result={"imported": count}
    )
    return count


@transaction.atomic
def values_import(*, rows: list[ImportRow], user: User) -> int:
    """Save all rows or none: one bad row (or an approved value in the way) stops it all."""
    if any(row.errors for row in rows):
        raise ValidationError(_("Correct the rows with problems first."))
    for row in rows:
        existing = DataPoint.objects.filter(
            indicator=row.indicator, period=row.period, partner=row.partner, cell=row.cell
        ).first()
        if existing is not None and existing.status == DataPoint.Status.APPROVED:
            raise ValidationError(
                _("Line %(line)s: that value is approved already; the import changes nothing.")
                % {"line": row.line}
            )
        data_point_save(
            indicator=row.indicator,
            period=row.period,
            partner=row.partner,
            cell=row.cell,
            value=row.value,
            user=user,
            submit=True,
            comment=_("Imported from a CSV file"),
            confirmed=True,
            imported=True,
        )
    return len(rows)
