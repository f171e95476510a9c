"""Spreadsheets we hand out and take in.

Out: every cell safe to open (no formula injection, as OWASP advises), CSV with a
byte-order mark so Excel reads UTF-8 and streamed row by row, XLSX with text cells.
In: `csv_table` reads an upload's rows, at most `MAX_ROWS` of them, and turns what the
csv module can't read (a cell over its field limit, a stray quote) into a message.
"""

import csv
import io
from collections.abc import Iterable, Sequence

from django.http import HttpResponse
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell

# A cell starting with one of these is run as a formula by spreadsheet programs.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def cell_safe(value) -> str:
    """A cell a spreadsheet shows as text: one that starts like a formula gets a
    leading apostrophe. `cell_unescape` strips it again, so an exported file
    re-imports unchanged."""
    text = "" if value is None else str(value)
    if text.startswith(FORMULA_START):
        return "'" + text
    return text


def cell_unescape(value: str) -> str:
    """Undo `cell_safe` on a cell read back from an uploaded file."""
    value = value.strip()
    if value.startswith("'") and value[1:2] and value[1:2] in FORMULA_START:
        return value[1:]
    return value


MAX_ROWS = 5000  # rows per uploaded file, after the header


class CsvFileError(ValueError):
    """The uploaded file can't be read as a whole; the message says why and what to do."""


def csv_table(text: str, *, delimiter: str = ",", max_rows: int = MAX_ROWS) -> list[list[str]]:
    """The rows of a CSV text (the header first), or CsvFileError saying what is wrong:
    more than `max_rows` rows, a cell longer than the csv module's field limit, or
    something else the csv module can't read."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    table = []
    try:
        for cells in reader:
            if len(table) > max_rows:
                raise CsvFileError(
                    _(
                        "The file has more than %(max)s rows. Split it into files of at "
                        "most %(max)s rows and import them one after the other."
                    )
                    % {"max": max_rows}
                )
            table.append(cells)
    except csv.Error as exc:
        if "field limit" in str(exc):
            message = _(
                "Line %(line)s has a cell longer than %(limit)s characters, more than "
                "any column here holds. Check the line's quotes, or shorten the cell."
            ) % {"line": reader.line_num, "limit": csv.field_size_limit()}
        else:
            message = _("This file could not be read as CSV (line %(line)s: %(error)s).") % {
                "line": reader.line_num,
                "error": exc,
            }
        raise CsvFileError(message) from None
    return table


def csv_text(header: Sequence[str], rows: Iterable[Sequence]) -> str:
    """The CSV text of `rows` under `header`, every cell escaped."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header)
    writer.writerows([cell_safe(value) for value in row] for row in rows)
    return buffer.getvalue()


def xlsx_bytes(header: Sequence[str], rows: Iterable[Sequence], *, title: str) -> bytes:
    """An Excel workbook of `rows`: every cell written as escaped text, so nothing in it
    is evaluated as a formula."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=title[:31])
    sheet.append(list(header))
    for row in rows:
        cells = []
        for value in row:
            cell = WriteOnlyCell(sheet, value=cell_safe(value))
            cell.data_type = "s"
            cells.append(cell)
        sheet.append(cells)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _attachment(response: HttpResponse, filename: str) -> HttpResponse:
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    return response


def csv_response(text: str, filename: str) -> HttpResponse:
    """A CSV download (with a BOM, so spreadsheet programs read it as UTF-8)."""
    response = HttpResponse("\ufeff" + text, content_type="text/csv; charset=utf-8")
    return _attachment(response, filename)


def xlsx_response(data: bytes, filename: str) -> HttpResponse:
    return _attachment(HttpResponse(data, content_type=XLSX), filename)
