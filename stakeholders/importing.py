"""CSV import of contacts and partners: upload → preview of every row → confirm or cancel.

`import_prepare` reads the file and stores an ImportBatch with each row's parsed
values and outcome (new, update, unchanged, error — with the reason naming row
and column). Nothing in the registry changes until `import_apply`, which
re-checks every row against the registry as it is then, applies the good rows
and skips the bad ones. Re-importing the same file finds every row unchanged.
"""

import csv
import io
from dataclasses import dataclass
from datetime import timedelta

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator, validate_email
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from backbone.models import Organization, User

from .models import (
    ConsentRecord,
    ConsentSource,
    ConsentStatus,
    Contact,
    ImportBatch,
    ImportKind,
    Partner,
    Sector,
    Tag,
)
from .services import CONSENT_WORDING, tag_names_parse

MAX_BYTES = 5 * 1024 * 1024
STALE_PREVIEW = timedelta(days=1)

COLUMNS = {
    ImportKind.CONTACTS: [
        "first_name",
        "last_name",
        "email",
        "phone",
        "partner",
        "sector",
        "lived_experience",
        "tags",
        "consent",
        "notes",
    ],
    ImportKind.PARTNERS: ["name", "sector", "website", "notes"],
}
REQUIRED = {ImportKind.CONTACTS: ["first_name", "sector"], ImportKind.PARTNERS: ["name", "sector"]}
ALIASES = {
    "e_mail": "email",
    "email_address": "email",
    "first": "first_name",
    "firstname": "first_name",
    "given_name": "first_name",
    "last": "last_name",
    "lastname": "last_name",
    "surname": "last_name",
    "family_name": "last_name",
    "organization": "partner",
    "organisation": "partner",
    "works_at": "partner",
    "lived_experience_yes_no": "lived_experience",
    "email_consent": "consent",
    "partner_name": "name",
}
YES = {"yes", "y", "true", "1", "oui", "x"}
NO = {"no", "n", "false", "0", "non", ""}
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")

SECTOR_WORDS = {value: value for value in Sector.values}
SECTOR_WORDS.update({str(label).lower(): value for value, label in Sector.choices})
SECTOR_WORDS.update(
    {
        "nonprofit": Sector.NON_PROFIT,
        "non-profit": Sector.NON_PROFIT,
        "non profit": Sector.NON_PROFIT,
        "charity": Sector.NON_PROFIT,
        "community group": Sector.COMMUNITY,
        "community": Sector.COMMUNITY,
        "lived experience": Sector.COMMUNITY,
        "community member": Sector.COMMUNITY,
        "school": Sector.EDUCATION,
        "municipal": Sector.GOVERNMENT,
        "private": Sector.BUSINESS,
        "foundation": Sector.FUNDER,
    }
)


class ImportFileError(Exception):
    """The whole file can't be read; the message says why and what to do."""


@dataclass
class ParsedFile:
    columns: list[str]
    rows: list[tuple[int, dict[str, str]]]  # (line number in the file, values)


def header_key(name: str) -> str:
    key = name.strip().strip('"').lower().replace("-", "_").replace(" ", "_").replace("/", "_")
    return ALIASES.get(key, key)


def unescape_cell(value: str) -> str:
    """Undo our export's formula escaping so an exported file re-imports unchanged."""
    value = value.strip()
    if value.startswith("'") and value[1:2] in FORMULA_START and value[1:2]:
        return value[1:]
    return value


def csv_read(raw: bytes, kind: str) -> ParsedFile:
    """Decode and split the upload, or raise ImportFileError saying what is wrong."""
    if not raw.strip():
        raise ImportFileError(_("The file is empty."))
    if len(raw) > MAX_BYTES:
        raise ImportFileError(_("The file is larger than 5 MB. Split it into smaller files."))
    if raw[:4] == b"PK\x03\x04" or raw[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
        raise ImportFileError(
            _(
                "This is a spreadsheet file, not CSV. In your spreadsheet, choose "
                "“Save as” → “CSV UTF-8”, then upload that file."
            )
        )
    if b"\x00" in raw[:4096]:
        raise ImportFileError(_("This is not a CSV text file. Upload a .csv file."))
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise ImportFileError(
            _(
                "The file is not UTF-8 text (first unreadable character on line %(line)s). "
                "Save it as “CSV UTF-8” and upload it again."
            )
            % {"line": line}
        ) from None
    first_line = text.split("\n", 1)[0]
    delimiter = max([",", ";", "\t"], key=first_line.count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        table = list(reader)
    except csv.Error as exc:
        raise ImportFileError(
            _("This file could not be read as CSV (line %(line)s: %(error)s).")
            % {"line": reader.line_num, "error": exc}
        ) from None
    if not table:
        raise ImportFileError(_("The file is empty."))
    header = [header_key(name) for name in table[0]]
    known = COLUMNS[kind]
    unknown = [
        raw_name for raw_name, key in zip(table[0], header, strict=True) if key not in known and key
    ]
    if unknown:
        raise ImportFileError(
            _("Unknown column(s): %(unknown)s. The columns we read are: %(known)s.")
            % {"unknown": ", ".join(f"“{u}”" for u in unknown), "known": ", ".join(known)}
        )
    missing = [name for name in REQUIRED[kind] if name not in header]
    if missing:
        raise ImportFileError(
            _(
                "Missing column(s): %(missing)s. The first line must name the columns, e.g. %(known)s."
            )
            % {"missing": ", ".join(missing), "known": ", ".join(known)}
        )
    duplicated = {key for key in header if key and header.count(key) > 1}
    if duplicated:
        raise ImportFileError(
            _("Column(s) named twice: %(names)s.") % {"names": ", ".join(sorted(duplicated))}
        )
    rows = []
    for index, cells in enumerate(table[1:], start=2):
        if not any(cell.strip() for cell in cells):
            continue
        values = dict.fromkeys(known, "")
        for key, cell in zip(header, cells, strict=False):
            if key:
                values[key] = unescape_cell(cell)
        if len(cells) > len(header) and any(c.strip() for c in cells[len(header) :]):
            values["__extra__"] = "1"
        rows.append((index, values))
    if not rows:
        raise ImportFileError(_("The file has column names but no rows."))
    return ParsedFile(columns=header, rows=rows)


def _error(line: int, column: str, message: str) -> str:
    return _("Row %(row)s, column “%(column)s”: %(message)s") % {
        "row": line,
        "column": column,
        "message": message,
    }


def _yes_no(value: str) -> bool | None:
    word = value.strip().lower()
    if word in YES:
        return True
    if word in NO:
        return False
    return None


# Checking rows ---------------------------------------------------------------


@dataclass
class Registry:
    """What the registry holds now, loaded once per import (a few queries, not one per row)."""

    partners: dict[str, Partner]
    contacts_by_email: dict[str, Contact]
    contacts_by_name: dict[tuple[str, str], Contact]
    tags: dict[int, set[str]]  # contact id → lowercased tag names


def registry_load(organization: Organization, kind: str) -> Registry:
    partners = {p.name.lower(): p for p in Partner.objects.filter(organization=organization)}
    if kind == ImportKind.PARTNERS:
        return Registry(partners, {}, {}, {})
    by_email, by_name = {}, {}
    for contact in Contact.objects.filter(organization=organization):
        if contact.email:
            by_email[contact.email.lower()] = contact
        else:
            by_name.setdefault((contact.first_name.lower(), contact.last_name.lower()), contact)
    tags: dict[int, set[str]] = {}
    through = Contact.tags.through
    for contact_id, name in through.objects.filter(contact__organization=organization).values_list(
        "contact_id", "tag__name"
    ):
        tags.setdefault(contact_id, set()).add(name.lower())
    return Registry(partners, by_email, by_name, tags)


def _check_contact(line: int, values: dict, registry: Registry, seen: dict) -> dict:
    """One row's outcome: {"line", "outcome", "values", "errors", "changes", "contact_id"}."""
    errors = []
    clean: dict = {}
    if values.get("__extra__"):
        errors.append(
            _("Row %(row)s has more cells than the first line has column names.") % {"row": line}
        )
    clean["first_name"] = values["first_name"][:100]
    clean["last_name"] = values["last_name"][:100]
    if not clean["first_name"]:
        errors.append(_error(line, "first_name", _("a first name is required.")))
    email = values["email"].lower()
    if email:
        try:
            validate_email(email)
        except ValidationError:
            errors.append(
                _error(
                    line,
                    "email",
                    _("“%(value)s” is not an e-mail address.") % {"value": values["email"]},
                )
            )
    clean["email"] = email
    clean["phone"] = values["phone"][:40]
    partner = None
    if values["partner"]:
        partner = registry.partners.get(values["partner"].lower())
        if partner is None:
            errors.append(
                _error(
                    line,
                    "partner",
                    _("no partner named “%(value)s” in the registry; import or add it first.")
                    % {"value": values["partner"]},
                )
            )
    clean["partner_id"] = partner.pk if partner else None
    sector = SECTOR_WORDS.get(values["sector"].strip().lower())
    if sector is None:
        errors.append(
            _error(
                line,
                "sector",
                _("“%(value)s” is not a sector we know. Use one of: %(known)s.")
                % {"value": values["sector"], "known": ", ".join(Sector.values)},
            )
        )
    clean["sector"] = sector or ""
    lived = _yes_no(values["lived_experience"])
    if lived is None:
        errors.append(
            _error(
                line,
                "lived_experience",
                _("write yes or no, not “%(value)s”.") % {"value": values["lived_experience"]},
            )
        )
    clean["lived_experience"] = bool(lived)
    consent = _yes_no(values["consent"])
    if consent is None:
        errors.append(
            _error(
                line,
                "consent",
                _("write yes or no, not “%(value)s”.") % {"value": values["consent"]},
            )
        )
    if consent and not email:
        errors.append(_error(line, "consent", _("consent needs an e-mail address.")))
    clean["consent"] = bool(consent)
    clean["tags"] = tag_names_parse(values["tags"])
    clean["notes"] = values["notes"]

    key = (
        ("email", email)
        if email
        else ("name", clean["first_name"].lower(), clean["last_name"].lower())
    )
    if key in seen:
        errors.append(
            _("Row %(row)s repeats row %(first)s (same %(what)s); only the first is imported.")
            % {"row": line, "first": seen[key], "what": _("e-mail") if email else _("name")}
        )
    else:
        seen[key] = line

    if errors:
        return {"line": line, "outcome": "error", "values": values, "errors": errors, "changes": []}
    existing = (
        registry.contacts_by_email.get(email) if email else registry.contacts_by_name.get(key[1:])
    )
    if existing is None:
        return {
            "line": line,
            "outcome": "new",
            "values": values,
            "clean": clean,
            "errors": [],
            "changes": [],
        }
    changes = []
    for field in (
        "first_name",
        "last_name",
        "email",
        "phone",
        "partner_id",
        "sector",
        "lived_experience",
    ):
        if field in ("phone", "partner_id", "last_name") and not clean[field]:
            continue  # A blank cell never erases what the registry knows.
        if getattr(existing, field) != clean[field]:
            changes.append(field.removesuffix("_id"))
    if clean["notes"] and clean["notes"] not in existing.notes:
        changes.append("notes")
    if {t.lower() for t in clean["tags"]} - registry.tags.get(existing.pk, set()):
        changes.append("tags")
    notes = []
    if clean["consent"] and existing.consent == ConsentStatus.WITHDRAWN:
        notes.append(_("unsubscribed earlier: an import does not subscribe them again"))
    elif clean["consent"] and existing.consent != ConsentStatus.GIVEN:
        changes.append("consent")
    return {
        "line": line,
        "outcome": "update" if changes else "unchanged",
        "values": values,
        "clean": clean,
        "errors": [],
        "changes": changes,
        "notes": notes,
        "contact_id": existing.pk,
    }


def _check_partner(line: int, values: dict, registry: Registry, seen: dict) -> dict:
    errors = []
    if values.get("__extra__"):
        errors.append(
            _("Row %(row)s has more cells than the first line has column names.") % {"row": line}
        )
    name = " ".join(values["name"].split())[:200]
    if not name:
        errors.append(_error(line, "name", _("a name is required.")))
    sector = SECTOR_WORDS.get(values["sector"].strip().lower())
    if sector is None:
        errors.append(
            _error(
                line,
                "sector",
                _("“%(value)s” is not a sector we know. Use one of: %(known)s.")
                % {"value": values["sector"], "known": ", ".join(Sector.values)},
            )
        )
    website = values["website"]
    if website:
        if "://" not in website:
            website = "https://" + website
        try:
            URLValidator()(website)
        except ValidationError:
            errors.append(
                _error(
                    line,
                    "website",
                    _("“%(value)s” is not a web address.") % {"value": values["website"]},
                )
            )
    if name and name.lower() in seen:
        errors.append(
            _("Row %(row)s repeats row %(first)s (same name); only the first is imported.")
            % {"row": line, "first": seen[name.lower()]}
        )
    elif name:
        seen[name.lower()] = line
    if errors:
        return {"line": line, "outcome": "error", "values": values, "errors": errors, "changes": []}
    clean = {"name": name, "sector": sector, "website": website, "notes": values["notes"]}
    existing = registry.partners.get(name.lower())
    if existing is None:
        return {
            "line": line,
            "outcome": "new",
            "values": values,
            "clean": clean,
            "errors": [],
            "changes": [],
        }
    changes = [f for f in ("sector", "website") if clean[f] and getattr(existing, f) != clean[f]]
    if clean["notes"] and clean["notes"] not in existing.notes:
        changes.append("notes")
    return {
        "line": line,
        "outcome": "update" if changes else "unchanged",
        "values": values,
        "clean": clean,
        "errors": [],
        "changes": changes,
        "partner_id": existing.pk,
    }


def rows_check(organization: Organization, kind: str, parsed_rows: list) -> list[dict]:
    registry = registry_load(organization, kind)
    check = _check_contact if kind == ImportKind.CONTACTS else _check_partner
    seen: dict = {}
    return [check(line, values, registry, seen) for line, values in parsed_rows]


# Preparing and applying ------------------------------------------------------


def import_prepare(
    *,
    organization: Organization,
    kind: str,
    filename: str,
    raw: bytes,
    created_by: User,
    consent_basis: str = "",
) -> ImportBatch:
    """Read the upload and store its preview. Raises ImportFileError for an unreadable file.

    Previews left waiting for more than a day are dropped: they hold personal
    data nobody chose to keep.
    """
    ImportBatch.objects.filter(
        organization=organization,
        status=ImportBatch.Status.PREVIEW,
        created_at__lt=timezone.now() - STALE_PREVIEW,
    ).delete()
    parsed = csv_read(raw, kind)
    rows = rows_check(organization, kind, parsed.rows)
    if kind == ImportKind.CONTACTS and not consent_basis.strip():
        for row in rows:
            if "consent" in row["changes"] or (row["outcome"] == "new" and row["clean"]["consent"]):
                raise ImportFileError(
                    _(
                        "Some rows say consent = yes. Say how these people agreed to receive "
                        "e-mail (the consent basis), or set their consent to no."
                    )
                )
    return ImportBatch.objects.create(
        organization=organization,
        kind=kind,
        filename=filename[:255],
        consent_basis=consent_basis.strip(),
        rows=[
            {**row, "parsed": values}
            for row, (_line, values) in zip(rows, parsed.rows, strict=True)
        ],
        created_by=created_by,
    )


def batch_counts(rows: list[dict]) -> dict[str, int]:
    counts = {"new": 0, "update": 0, "unchanged": 0, "error": 0}
    for row in rows:
        counts[row["outcome"]] += 1
    return counts


class ImportBatchClosed(Exception):
    pass


@transaction.atomic
def import_cancel(*, batch: ImportBatch) -> None:
    batch = ImportBatch.objects.select_for_update().get(pk=batch.pk)
    if batch.status != ImportBatch.Status.PREVIEW:
        raise ImportBatchClosed
    batch.status = ImportBatch.Status.CANCELLED
    batch.rows = []  # Personal data the user chose not to keep.
    batch.finished_at = timezone.now()
    batch.save(update_fields=["status", "rows", "finished_at"])


@transaction.atomic
def import_apply(*, batch: ImportBatch, applied_by: User | None = None) -> dict[str, int]:
    """Apply the good rows of a previewed batch; skip the bad ones. Once only."""
    batch = ImportBatch.objects.select_for_update().get(pk=batch.pk)
    if batch.status != ImportBatch.Status.PREVIEW:
        raise ImportBatchClosed
    organization = batch.organization
    # Check again: the registry may have changed since the preview.
    rows = rows_check(organization, batch.kind, [(r["line"], r["parsed"]) for r in batch.rows])
    if batch.kind == ImportKind.CONTACTS:
        _apply_contacts(organization, rows, batch, applied_by)
    else:
        _apply_partners(organization, rows)
    counts = batch_counts(rows)
    batch.status = ImportBatch.Status.APPLIED
    batch.result = counts
    batch.rows = [
        {k: v for k, v in row.items() if k not in ("clean", "contact")} | {"parsed": {}}
        for row in rows
    ]
    batch.finished_at = timezone.now()
    batch.save(update_fields=["status", "result", "rows", "finished_at"])
    return counts


def _apply_partners(organization: Organization, rows: list[dict]) -> None:
    new = [
        Partner(organization=organization, **row["clean"])
        for row in rows
        if row["outcome"] == "new"
    ]
    Partner.objects.bulk_create(new)
    updated = []
    existing = Partner.objects.in_bulk([r["partner_id"] for r in rows if r["outcome"] == "update"])
    for row in rows:
        if row["outcome"] != "update":
            continue
        partner = existing[row["partner_id"]]
        clean = row["clean"]
        partner.sector = clean["sector"]
        partner.website = clean["website"] or partner.website
        if clean["notes"] and clean["notes"] not in partner.notes:
            partner.notes = "\n\n".join(n for n in (partner.notes, clean["notes"]) if n)
        updated.append(partner)
    Partner.objects.bulk_update(updated, ["sector", "website", "notes"])


def _apply_contacts(organization: Organization, rows: list[dict], batch: ImportBatch, user) -> None:
    now = timezone.now()
    fields = (
        "first_name",
        "last_name",
        "email",
        "phone",
        "partner_id",
        "sector",
        "lived_experience",
    )
    new_rows = [row for row in rows if row["outcome"] == "new"]
    created = Contact.objects.bulk_create(
        [
            Contact(
                organization=organization,
                notes=row["clean"]["notes"],
                **{f: row["clean"][f] for f in fields},
            )
            for row in new_rows
        ]
    )
    if created and created[0].pk is None:  # Backends that return no ids from bulk_create.
        by_email = {
            c.email: c for c in Contact.objects.filter(organization=organization).exclude(email="")
        }
        created = [by_email.get(c.email, c) for c in created]
    for row, contact in zip(new_rows, created, strict=True):
        row["contact"] = contact

    update_rows = [row for row in rows if row["outcome"] == "update"]
    existing = Contact.objects.in_bulk([row["contact_id"] for row in update_rows])
    changed = []
    for row in update_rows:
        contact = existing[row["contact_id"]]
        clean = row["clean"]
        for field in fields:
            if clean[field] not in ("", None) or field == "lived_experience":
                setattr(contact, field, clean[field])
        if clean["notes"] and clean["notes"] not in contact.notes:
            contact.notes = "\n\n".join(n for n in (contact.notes, clean["notes"]) if n)
        row["contact"] = contact
        changed.append(contact)
    Contact.objects.bulk_update(changed, [*fields, "notes"], batch_size=500)

    touched = new_rows + update_rows
    # Tags: create the missing ones once, then link.
    wanted = {name.lower(): name for row in touched for name in row["clean"]["tags"]}
    tags = {t.name.lower(): t for t in Tag.objects.filter(organization=organization)}
    Tag.objects.bulk_create(
        [
            Tag(organization=organization, name=name)
            for key, name in wanted.items()
            if key not in tags
        ]
    )
    if any(key not in tags for key in wanted):
        tags = {t.name.lower(): t for t in Tag.objects.filter(organization=organization)}
    through = Contact.tags.through
    through.objects.bulk_create(
        [
            through(contact_id=row["contact"].pk, tag_id=tags[name.lower()].pk)
            for row in touched
            for name in row["clean"]["tags"]
        ],
        ignore_conflicts=True,
    )

    # Consent: only where it changes, never over an unsubscribe.
    consenting = [
        row["contact"]
        for row in touched
        if row["clean"]["consent"] and (row["outcome"] == "new" or "consent" in row["changes"])
    ]
    ConsentRecord.objects.bulk_create(
        [
            ConsentRecord(
                organization=organization,
                contact=contact,
                status=ConsentStatus.GIVEN,
                recorded_at=now,
                source=ConsentSource.IMPORT,
                basis=f"{batch.consent_basis} ({batch.filename})"[:300],
                wording=str(CONSENT_WORDING),
                recorded_by=user,
            )
            for contact in consenting
        ]
    )
    Contact.objects.filter(pk__in=[c.pk for c in consenting]).update(
        consent=ConsentStatus.GIVEN, consent_changed_at=now
    )
