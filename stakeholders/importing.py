"""CSV import of contacts and partners: upload → preview of every row → confirm or cancel.

The batch steps (`batch_store`, `batch_lock`, `batch_close`, `import_cancel`) are the
project's one import-preview mechanism; measures imports indicator values through them.

`import_prepare` reads the file and stores an ImportBatch with each row's parsed
values and outcome (new, update, unchanged, error — with the reason naming row
and column). Nothing in the registry changes until `import_apply`, which
re-checks every row against the registry as it is then, applies the good rows
and skips the bad ones. Re-importing the same file finds every row unchanged.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator, validate_email
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from backbone.models import Organization, User
from backbone.stamped_cache import bump_every

from .csv_files import (
    SECTOR_WORDS,
    ImportFileError,
    cell_error,
    csv_read,
    yes_no,
)
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

STALE_PREVIEW = timedelta(days=1)

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


def _new_row(line: int, values: dict, clean: dict) -> dict:
    """The outcome of a valid row that the registry does not know yet."""
    return {
        "line": line,
        "outcome": "new",
        "values": values,
        "clean": clean,
        "errors": [],
        "changes": [],
    }


# The columns of a contact row that go straight onto the Contact.
_CONTACT_FIELDS = (
    "first_name",
    "last_name",
    "email",
    "phone",
    "partner_id",
    "sector",
    "lived_experience",
)


def _known_row(line: int, values: dict, clean: dict, changes: list, **known) -> dict:
    """The outcome of a valid row about someone the registry knows: what it would change,
    and `known` (their id, notes)."""
    return {
        "line": line,
        "outcome": "update" if changes else "unchanged",
        "values": values,
        "clean": clean,
        "errors": [],
        "changes": changes,
    } | known


def _row_errors(line: int, values: dict) -> list:
    """The errors a row starts with: more cells than the header named."""
    if values.get("__extra__"):
        return [
            _("Row %(row)s has more cells than the first line has column names.") % {"row": line}
        ]
    return []


def _validate_cell(
    line: int, values: dict, column: str, value: str, validate, message: str, errors: list
) -> None:
    """Add `message` about the cell as written to `errors` when `validate` refuses `value`."""
    try:
        validate(value)
    except ValidationError:
        errors.append(cell_error(line, column, message % {"value": values[column]}))


def _sector(line: int, values: dict, errors: list) -> str | None:
    sector = SECTOR_WORDS.get(values["sector"].strip().lower())
    if sector is None:
        errors.append(
            cell_error(
                line,
                "sector",
                _("“%(value)s” is not a sector we know. Use one of: %(known)s.")
                % {"value": values["sector"], "known": ", ".join(Sector.values)},
            )
        )
    return sector


def _yes_no(line: int, values: dict, column: str, errors: list) -> bool | None:
    answer = yes_no(values[column])
    if answer is None:
        errors.append(
            cell_error(
                line, column, _("write yes or no, not “%(value)s”.") % {"value": values[column]}
            )
        )
    return answer


def _check_contact(line: int, values: dict, registry: Registry, seen: dict) -> dict:
    """One row's outcome: {"line", "outcome", "values", "errors", "changes", "contact_id"}."""
    errors = _row_errors(line, values)
    clean: dict = {}
    clean["first_name"] = values["first_name"][:100]
    clean["last_name"] = values["last_name"][:100]
    if not clean["first_name"]:
        errors.append(cell_error(line, "first_name", _("a first name is required.")))
    email = values["email"].lower()
    if email:
        not_email = _("“%(value)s” is not an e-mail address.")
        _validate_cell(line, values, "email", email, validate_email, not_email, errors)
    clean["email"] = email
    clean["phone"] = values["phone"][:40]
    partner = None
    if values["partner"]:
        partner = registry.partners.get(values["partner"].lower())
        if partner is None:
            errors.append(
                cell_error(
                    line,
                    "partner",
                    _("no partner named “%(value)s” in the registry; import or add it first.")
                    % {"value": values["partner"]},
                )
            )
    clean["partner_id"] = partner.pk if partner else None
    sector = _sector(line, values, errors)
    clean["sector"] = sector or ""
    lived = _yes_no(line, values, "lived_experience", errors)
    clean["lived_experience"] = bool(lived)
    consent = _yes_no(line, values, "consent", errors)
    if consent and not email:
        errors.append(cell_error(line, "consent", _("consent needs an e-mail address.")))
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
        return _new_row(line, values, clean)
    changes = []
    for field in _CONTACT_FIELDS:
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
    return _known_row(line, values, clean, changes, notes=notes, contact_id=existing.pk)


def _check_partner(line: int, values: dict, registry: Registry, seen: dict) -> dict:
    errors = _row_errors(line, values)
    name = " ".join(values["name"].split())[:200]
    if not name:
        errors.append(cell_error(line, "name", _("a name is required.")))
    sector = _sector(line, values, errors)
    website = values["website"]
    if website:
        if "://" not in website:
            website = "https://" + website
        not_web = _("“%(value)s” is not a web address.")
        _validate_cell(line, values, "website", website, URLValidator(), not_web, errors)
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
        return _new_row(line, values, clean)
    changes = [f for f in ("sector", "website") if clean[f] and getattr(existing, f) != clean[f]]
    if clean["notes"] and clean["notes"] not in existing.notes:
        changes.append("notes")
    return _known_row(line, values, clean, changes, partner_id=existing.pk)


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
    """Read the upload and store its preview. Raises ImportFileError for an unreadable file."""
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
    return batch_store(
        organization=organization,
        kind=kind,
        filename=filename,
        consent_basis=consent_basis.strip(),
        rows=[
            {**row, "parsed": values}
            for row, (_line, values) in zip(rows, parsed.rows, strict=True)
        ],
        created_by=created_by,
    )


# The batch steps, shared by every kind of import --------------------------------


def batch_store(
    *,
    organization: Organization,
    kind: str,
    filename: str,
    rows: list[dict],
    created_by: User,
    consent_basis: str = "",
    destination_id: int | None = None,
    result: dict | None = None,
) -> ImportBatch:
    """Keep a checked upload as a preview waiting for confirmation.

    Previews left waiting for more than a day are dropped: they may hold personal
    data nobody chose to keep.
    """
    ImportBatch.objects.filter(
        organization=organization,
        status=ImportBatch.Status.PREVIEW,
        created_at__lt=timezone.now() - STALE_PREVIEW,
    ).delete()
    return ImportBatch.objects.create(
        organization=organization,
        kind=kind,
        filename=filename[:255],
        consent_basis=consent_basis,
        destination_id=destination_id,
        rows=rows,
        created_by=created_by,
        result=result or {},
    )


PREVIEW_ROWS = 200  # rows a preview page lists; the counts cover them all


def batch_is_stale(batch: ImportBatch) -> bool:
    """The preview waited too long: the next upload drops it, so it can't be confirmed."""
    return batch.created_at < timezone.now() - STALE_PREVIEW


def batch_counts(rows: list[dict]) -> dict[str, int]:
    counts = {"new": 0, "update": 0, "unchanged": 0, "error": 0}
    for row in rows:
        counts[row["outcome"]] += 1
    return counts


def preview_rows(rows: list, *, has_error: Callable[[object], bool]) -> tuple[list, int]:
    """What a preview page shows of `rows`: at most PREVIEW_ROWS of them, in file order,
    those with errors picked first; and how many are left out (the page says so)."""
    picked = sorted(range(len(rows)), key=lambda i: (not has_error(rows[i]), i))[:PREVIEW_ROWS]
    return [rows[i] for i in sorted(picked)], len(rows) - len(picked)


class ImportBatchClosed(Exception):
    """The batch was confirmed or cancelled already: each happens once."""

    def __str__(self) -> str:
        return _("This import was already confirmed or cancelled.")


def batch_lock(batch: ImportBatch) -> ImportBatch:
    """The batch, locked for the rest of the transaction, if it still waits for a decision.

    Raises ImportBatchClosed once it was confirmed or cancelled: each happens once.
    """
    batch = ImportBatch.objects.select_for_update().get(pk=batch.pk)
    if batch.status != ImportBatch.Status.PREVIEW:
        raise ImportBatchClosed
    return batch


def batch_close(
    batch: ImportBatch, *, status: str, rows: list[dict], result: dict | None = None
) -> None:
    """Record the decision on a locked batch (see `batch_lock`)."""
    batch.status = status
    batch.rows = rows
    batch.result = result if result is not None else batch.result
    batch.finished_at = timezone.now()
    batch.save(update_fields=["status", "rows", "result", "finished_at"])


@transaction.atomic
def import_cancel(*, batch: ImportBatch) -> None:
    """Drop a preview: nothing is saved, and its rows (personal data the user chose not
    to keep) are forgotten."""
    batch_close(batch_lock(batch), status=ImportBatch.Status.CANCELLED, rows=[])


@transaction.atomic
def import_apply(*, batch: ImportBatch, applied_by: User | None = None) -> dict[str, int]:
    """Apply the good rows of a previewed batch; skip the bad ones. Once only."""
    batch = batch_lock(batch)
    organization = batch.organization
    # Check again: the registry may have changed since the preview.
    rows = rows_check(organization, batch.kind, [(r["line"], r["parsed"]) for r in batch.rows])
    if batch.kind == ImportKind.CONTACTS:
        _apply_contacts(organization, rows, batch, applied_by)
    else:
        _apply_partners(organization, rows)
    bump_every(organization.pk)  # bulk inserts send no post_save
    counts = batch_counts(rows)
    batch_close(
        batch,
        status=ImportBatch.Status.APPLIED,
        result=counts,
        rows=[
            {k: v for k, v in row.items() if k not in ("clean", "contact")} | {"parsed": {}}
            for row in rows
        ],
    )
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
    new_rows = [row for row in rows if row["outcome"] == "new"]
    created = Contact.objects.bulk_create(
        [
            Contact(
                organization=organization,
                notes=row["clean"]["notes"],
                **{f: row["clean"][f] for f in _CONTACT_FIELDS},
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
        for field in _CONTACT_FIELDS:
            if clean[field] not in ("", None) or field == "lived_experience":
                setattr(contact, field, clean[field])
        if clean["notes"] and clean["notes"] not in contact.notes:
            contact.notes = "\n\n".join(n for n in (contact.notes, clean["notes"]) if n)
        row["contact"] = contact
        changed.append(contact)
    Contact.objects.bulk_update(changed, [*_CONTACT_FIELDS, "notes"], batch_size=500)

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
