"""Spreadsheets we hand out and take in.

Out: every cell safe to open (no formula injection, as OWASP advises), CSV with a
byte-order mark so Excel reads UTF-8 and streamed row by row, XLSX with text cells.
In: `csv_table` reads an upload's rows, at most `MAX_ROWS` of them, and turns what the
csv module can't read (a cell over its field limit, a stray quote) into a message.
"""

import csv
import io
from collections.abc import Iterable, Iterator, Sequence
from contextlib import ExitStack

from django.http import HttpResponse, StreamingHttpResponse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django_scopes import get_scope, scope, scopes_disabled
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


STREAM_LINES = 500  # CSV lines per chunk of a streamed download


class _Echo:
    """A file-like object whose write hands back what it was given (for csv.writer)."""

    def write(self, value: str) -> str:
        return value


def csv_chunks(header: Sequence[str], rows: Iterable[Sequence]) -> Iterator[str]:
    """The CSV text of `rows` under `header`, with a BOM, every cell escaped, in chunks
    of STREAM_LINES lines: only one chunk is ever held in memory."""
    writer = csv.writer(_Echo())
    chunk = ["\ufeff" + writer.writerow(header)]
    for row in rows:
        chunk.append(writer.writerow([cell_safe(value) for value in row]))
        if len(chunk) >= STREAM_LINES:
            yield "".join(chunk)
            chunk = []
    if chunk:
        yield "".join(chunk)


def _in_request_context(chunks: Iterator[str]) -> Iterator[str]:
    """Run `chunks` under the query scope, time zone and language active now: a streamed
    response is read after the view (and the organization middleware) returned."""
    scoped = dict(get_scope())
    zone, language = timezone.get_current_timezone(), translation.get_language()
    with ExitStack() as stack:
        if scoped.pop("_enabled", False):
            stack.enter_context(scope(**scoped))
        else:
            stack.enter_context(scopes_disabled())
        stack.enter_context(timezone.override(zone))
        stack.enter_context(translation.override(language))
        yield from chunks


def csv_stream_response(
    header: Sequence[str], rows: Iterable[Sequence], filename: str
) -> StreamingHttpResponse:
    """A CSV download written while `rows` are read (pass a queryset's
    `.iterator(chunk_size=...)`): memory and time to first byte stay flat however long
    the list."""
    response = StreamingHttpResponse(
        _in_request_context(csv_chunks(header, rows)), content_type="text/csv; charset=utf-8"
    )
    return _attachment(response, filename)


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


def _attachment(response, filename: str):
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    return response


def xlsx_response(data: bytes, filename: str) -> HttpResponse:
    return _attachment(HttpResponse(data, content_type=XLSX), filename)
