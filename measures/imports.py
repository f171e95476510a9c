"""CSV import of values: parse and check every row first (the preview), then save all
rows in one transaction (the confirmation). Imported values go to the approval queue."""

import csv
import io
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from backbone.models import User
from initiatives.models import Initiative
from stakeholders.models import Partner

from .models import DataPoint, Indicator
from .services import data_point_save
from .validation import check_value

COLUMNS = ["indicator", "period", "partner", "disaggregation", "value"]
MAX_ROWS = 5000


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


def parse_values_csv(text: str, *, initiative: Initiative) -> list[ImportRow]:
    """Every row of the file with what it names resolved and its problems listed."""
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    headers = [h.strip().lower() for h in (reader.fieldnames or [])]
    missing = [c for c in COLUMNS if c not in headers]
    if missing:
        raise ValidationError(
            _("The file needs the columns: %(columns)s.") % {"columns": ", ".join(COLUMNS)}
        )
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
    for number, record in enumerate(reader, start=2):
        if number - 1 > MAX_ROWS:
            raise ValidationError(_("At most %(max)s rows per file.") % {"max": MAX_ROWS})
        record = {(k or "").strip().lower(): (v or "").strip() for k, v in record.items()}
        row = ImportRow(
            line=number,
            indicator_name=record["indicator"],
            period=record["period"],
            partner_name=record["partner"],
            cell=record["disaggregation"],
            raw_value=record["value"],
        )
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
