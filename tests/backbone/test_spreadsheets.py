"""Spreadsheets we hand out open safely: a cell that starts like a formula is text."""

import io

from django.http import StreamingHttpResponse
from openpyxl import load_workbook

from backbone.spreadsheets import (
    STREAM_LINES,
    cell_safe,
    cell_unescape,
    csv_chunks,
    csv_stream_response,
    xlsx_bytes,
)

HOSTILE = '=HYPERLINK("http://evil")'


def test_a_formula_becomes_text_and_comes_back_unchanged():
    assert cell_safe(HOSTILE) == "'" + HOSTILE
    assert cell_unescape(cell_safe(HOSTILE)) == HOSTILE
    assert cell_unescape("'quoted by a person") == "'quoted by a person"
    assert cell_safe(None) == "" and cell_safe(12.5) == "12.5"


def test_csv_escapes_every_cell_under_its_header():
    text = "".join(csv_chunks(["name", "value"], [["Aisha", "-5"], [HOSTILE, 3]]))
    assert text.splitlines() == [
        "\ufeffname,value",
        "Aisha,'-5",
        '"\'=HYPERLINK(""http://evil"")",3',
    ]


def test_a_long_csv_comes_in_chunks_of_a_bounded_size():
    rows = ([i, "x"] for i in range(2 * STREAM_LINES + 3))
    chunks = list(csv_chunks(["n", "x"], rows))
    assert [chunk.count("\n") for chunk in chunks] == [STREAM_LINES, STREAM_LINES, 4]


def test_a_csv_download_streams_starts_with_a_byte_order_mark_and_is_not_cached():
    response = csv_stream_response(["a", "b"], iter([[1, 2]]), "export.csv")
    assert isinstance(response, StreamingHttpResponse)
    assert b"".join(response.streaming_content).decode("utf-8") == "\ufeffa,b\r\n1,2\r\n"
    assert response["Content-Disposition"] == 'attachment; filename="export.csv"'
    assert response["Cache-Control"] == "no-store"


def test_an_xlsx_holds_text_cells_only():
    data = xlsx_bytes(["name", "amount"], [[HOSTILE, 1200]], title="Contacts")
    sheet = load_workbook(io.BytesIO(data)).active
    assert sheet.title == "Contacts"
    assert [cell.value for cell in sheet[2]] == ["'" + HOSTILE, "1200"]
    assert {cell.data_type for cell in sheet[2]} == {"s"}
