"""An import file that is too long, too wide or not text gets a clear message, and a
big preview lists a bounded number of rows (issue 11, item 5)."""

import csv
import re

import pytest
from django.urls import reverse
from django_scopes import scope

from backbone.spreadsheets import MAX_ROWS
from stakeholders.csv_files import ImportFileError
from stakeholders.importing import PREVIEW_ROWS
from stakeholders.models import ImportBatch

from .test_importing import prepare, upload


def test_a_row_with_more_cells_than_the_header_is_a_row_error(world):
    batch = prepare(world, "first_name,sector\nMaya,health,surprise,more\nBen,health\n")
    assert [(row["line"], row["outcome"]) for row in batch.rows] == [(2, "error"), (3, "new")]
    assert batch.rows[0]["errors"] == ["Row 2 has more cells than the first line has column names."]


def test_a_cell_over_the_csv_field_limit_is_a_clear_file_error(world):
    huge = "x" * (csv.field_size_limit() + 1)
    with pytest.raises(ImportFileError, match=r"Line 3 has a cell longer than \d+ characters"):
        prepare(world, f'first_name,sector\nMaya,health\n"{huge}",health\n')


def test_a_file_not_in_utf8_is_a_clear_file_error(world):
    with pytest.raises(ImportFileError, match="not UTF-8 text"):
        prepare(world, "first_name,sector\nRenée,health\n".encode("cp1252"))


def test_a_file_over_the_row_cap_is_refused_with_the_cap_in_the_message(world, login):
    text = "first_name,sector\n" + "A,health\n" * (MAX_ROWS + 1)
    with pytest.raises(ImportFileError, match=f"more than {MAX_ROWS} rows"):
        prepare(world, text)
    response = upload(login(world.coordinator), text)
    assert response.status_code == 422
    assert f"more than {MAX_ROWS} rows" in response.text
    assert f"at most {MAX_ROWS} rows per file" in response.text  # the help text says so first
    with scope(organization=world.org):
        assert not ImportBatch.objects.exists()


def test_a_file_at_the_cap_is_previewed_listing_a_bounded_number_of_rows(world, login):
    client = login(world.coordinator)
    rows = [f"Person{i},health\n" for i in range(MAX_ROWS)]
    rows[4000] = "Broken,charity-ish\n"  # the one bad row is listed although far down
    response = upload(client, "first_name,sector\n" + "".join(rows))
    assert response.status_code == 302
    page = client.get(response["Location"]).text
    assert page.count('class="import-row ') == PREVIEW_ROWS
    assert f"{MAX_ROWS - PREVIEW_ROWS} more rows are not listed here" in page
    assert f"{MAX_ROWS - 1} new" in page and "1 with errors" in page
    assert "Row 4002, column “sector”" in page
    lines = [int(n) for n in re.findall(r'<td class="num">(\d+)</td>', page)]
    assert lines == sorted(lines) and len(lines) == PREVIEW_ROWS
    assert len(page) < 500_000


def test_the_confirmation_still_applies_every_row_of_a_long_preview(world, login):
    client = login(world.coordinator)
    count = PREVIEW_ROWS + 50
    text = "first_name,sector\n" + "".join(f"P{i},health\n" for i in range(count))
    location = upload(client, text)["Location"]
    with scope(organization=world.org):
        batch = ImportBatch.objects.get()
    confirm = reverse(
        "stakeholders:import_confirm", kwargs={"org_slug": "riverside", "batch_token": batch.token}
    )
    assert client.post(confirm).status_code == 302
    assert f"{count} new" in client.get(location).text
