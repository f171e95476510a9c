"""Spreadsheets we hand out: every cell safe to open (no formula injection, as OWASP
advises), CSV with a byte-order mark so Excel reads UTF-8, XLSX with text cells."""

import csv
import io
from collections.abc import Iterable, Sequence

from django.http import HttpResponse
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
