"""CSV export of the registry. Every export is logged (who, when, how many rows), and
every cell is safe to open in a spreadsheet (no formula injection)."""

import csv
import io

from django.db import transaction
from django.db.models import QuerySet
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell

from backbone.models import Organization, User

from .csv_files import COLUMNS, FORMULA_START
from .models import Contact, ExportLog, ImportKind, Partner


def cell_safe(value) -> str:
    """A cell a spreadsheet shows as text: one starting with = + - @ (or a tab or
    carriage return) gets a leading apostrophe, as OWASP advises. The import
    strips it again, so an exported file re-imports unchanged."""
    text = "" if value is None else str(value)
    if text.startswith(FORMULA_START):
        return "'" + text
    return text


def _contact_row(contact: Contact) -> list:
    return [
        contact.first_name,
        contact.last_name,
        contact.email,
        contact.phone,
        contact.partner.name if contact.partner_id else "",
        contact.sector,
        "yes" if contact.lived_experience else "no",
        ", ".join(tag.name for tag in contact.tags.all()),
        "yes" if contact.consent == "given" else "no",
        contact.notes,
    ]


def _partner_row(partner: Partner) -> list:
    return [partner.name, partner.sector, partner.website, partner.notes]


def _rows(kind: str, queryset: QuerySet):
    if kind == ImportKind.CONTACTS:
        return queryset.select_related("partner").prefetch_related("tags"), _contact_row
    return queryset, _partner_row


@transaction.atomic
def registry_export_csv(
    *, organization: Organization, kind: str, queryset: QuerySet, exported_by: User
) -> tuple[str, int]:
    """The CSV text of `queryset` (columns as the import reads them) and its row count."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(COLUMNS[kind])
    objects, make_row = _rows(kind, queryset)
    count = 0
    for obj in objects:
        writer.writerow([cell_safe(value) for value in make_row(obj)])
        count += 1
    ExportLog.objects.create(
        organization=organization, kind=kind, row_count=count, exported_by=exported_by
    )
    return buffer.getvalue(), count


@transaction.atomic
def registry_export_xlsx(
    *, organization: Organization, kind: str, queryset: QuerySet, exported_by: User
) -> tuple[bytes, int]:
    """The same rows as the CSV export, as an Excel workbook (openpyxl). Every cell is
    written as text, escaped like the CSV, so nothing in it is evaluated as a formula."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=str(kind).capitalize())
    sheet.append(COLUMNS[kind])
    objects, make_row = _rows(kind, queryset)
    count = 0
    for obj in objects:
        row = []
        for value in make_row(obj):
            cell = WriteOnlyCell(sheet, value=cell_safe(value))
            cell.data_type = "s"
            row.append(cell)
        sheet.append(row)
        count += 1
    buffer = io.BytesIO()
    workbook.save(buffer)
    ExportLog.objects.create(
        organization=organization, kind=kind, row_count=count, exported_by=exported_by
    )
    return buffer.getvalue(), count
