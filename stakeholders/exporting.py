"""CSV and XLSX export of the registry. Every export is logged (who, when, how many
rows), and every cell is safe to open in a spreadsheet (no formula injection). The CSV
is streamed row by row; an XLSX workbook is built whole (a zip can't be streamed)."""

from collections.abc import Iterator

from django.db import transaction
from django.db.models import QuerySet

from backbone.models import Organization, User
from backbone.spreadsheets import xlsx_bytes

from .csv_files import COLUMNS
from .models import Contact, ExportLog, ImportKind, Partner


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


EXPORT_CHUNK = 1000  # rows read per query (with one more query for their tags)


def registry_export_rows(
    *, organization: Organization, kind: str, queryset: QuerySet, exported_by: User
) -> tuple[list[str], Iterator[list], int]:
    """The columns (as the import reads them), the rows of `queryset` read as they are
    written out (a fixed number of queries per EXPORT_CHUNK rows, never all in memory),
    and their count, logged now."""
    count = queryset.count()
    ExportLog.objects.create(
        organization=organization, kind=kind, row_count=count, exported_by=exported_by
    )
    objects, make_row = _rows(kind, queryset)
    return COLUMNS[kind], map(make_row, objects.iterator(chunk_size=EXPORT_CHUNK)), count


@transaction.atomic
def registry_export_xlsx(
    *, organization: Organization, kind: str, queryset: QuerySet, exported_by: User
) -> tuple[bytes, int]:
    """The same rows as the CSV export, as an Excel workbook (written row by row too)."""
    header, rows, count = registry_export_rows(
        organization=organization, kind=kind, queryset=queryset, exported_by=exported_by
    )
    return xlsx_bytes(header, rows, title=str(kind).capitalize()), count
