"""CSV export of the registry. Every export is logged (who, when, how many rows), and
every cell is safe to open in a spreadsheet (no formula injection)."""

from django.db import transaction
from django.db.models import QuerySet

from backbone.models import Organization, User
from backbone.spreadsheets import csv_text, xlsx_bytes

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


def _export(*, organization, kind, queryset, exported_by) -> list[list]:
    objects, make_row = _rows(kind, queryset)
    rows = [make_row(obj) for obj in objects]
    ExportLog.objects.create(
        organization=organization, kind=kind, row_count=len(rows), exported_by=exported_by
    )
    return rows


@transaction.atomic
def registry_export_csv(
    *, organization: Organization, kind: str, queryset: QuerySet, exported_by: User
) -> tuple[str, int]:
    """The CSV text of `queryset` (columns as the import reads them) and its row count."""
    rows = _export(organization=organization, kind=kind, queryset=queryset, exported_by=exported_by)
    return csv_text(COLUMNS[kind], rows), len(rows)


@transaction.atomic
def registry_export_xlsx(
    *, organization: Organization, kind: str, queryset: QuerySet, exported_by: User
) -> tuple[bytes, int]:
    """The same rows as the CSV export, as an Excel workbook."""
    rows = _export(organization=organization, kind=kind, queryset=queryset, exported_by=exported_by)
    return xlsx_bytes(COLUMNS[kind], rows, title=str(kind).capitalize()), len(rows)
