"""The organization archive: every row of one organization, out to one zip and back in.

Generic over the app registry, so that `backbone` imports no domain app and a model added
tomorrow is archived without a change here:

- an *owned* model has a foreign key to `Organization` (every `TenantModel`, and the core's
  memberships, invitations and job runs): its rows of the organization are archived;
- a *child* model has no such key but a foreign key to an archived model (the tables of
  many-to-many fields): its rows that point at archived rows are archived.

A foreign key to the user model is written as the person's e-mail address (people are
matched by address on import, and created without a usable password when missing); a key
to an archived model as the row's id in the archive, given a new id on import. A plain
number that names a row (no foreign key, so that a lower app need not know a higher
one) is declared on its model: `archive_ids = {"partner_id": "stakeholders.partner"}`;
so are ids inside JSON fields, by path: `archive_json_ids = {"rows": {"[].contact_id":
"stakeholders.contact"}}`, and `{}` for a JSON field without ids (`backbone.archive_ids`
says how paths read). Such ids are written as the row's id in the archive, like a key,
and cleared when they name a row outside it; the import gives them the new ids.
`LastEdit` names rows of any model by label and id, and is remapped the same way.

The format (version 2; version 1, without `json_ids` in its schemas, is read too) is
described in README.md ("Organization archive").
"""

import csv
import datetime as dt
import hashlib
import io
import json
import secrets
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .archive_ids import id_renamer, ids_remap, json_ids, json_renamed, plain_ids
from .models import LastEdit, Organization

FORMAT = "backbone-organization-archive"
VERSION = 2
# Version 1 is read too: it differs only in not saying where ids are inside JSON fields
# (its schemas lack `json_ids`), so the models' own declarations are used for it.
READABLE_VERSIONS = (1, 2)
MANIFEST = "manifest.json"
# Human-readable copies beside the JSON (not read back on import): people and values.
CSV_COPIES = {"people.csv": "stakeholders.contact", "values.csv": "measures.datapoint"}


class ArchiveEncoder(DjangoJSONEncoder):
    """Django's encoder, but times keep their microseconds (it cuts them to milliseconds)."""

    def default(self, o):
        if isinstance(o, dt.datetime | dt.time):
            return o.isoformat()
        return super().default(o)


class ArchiveError(Exception):
    """The archive cannot be imported: the message says why, for the person importing."""


@dataclass
class ArchivedModel:
    model: type[models.Model]
    owner_field: str | None  # the foreign key to Organization; None for a child model
    parents: list[str] = field(default_factory=list)  # a child's keys to archived models

    @property
    def label(self) -> str:
        return self.model._meta.label_lower


def _foreign_keys(model) -> list[models.ForeignKey]:
    return [f for f in model._meta.concrete_fields if isinstance(f, models.ForeignKey)]


def archived_models() -> list[ArchivedModel]:
    """Every model whose rows belong to an organization, parents before the rows that
    point at them (where keys allow: the rest is linked after every row is in)."""
    found: dict[str, ArchivedModel] = {}
    candidates = [
        m
        for m in apps.get_models(include_auto_created=True)
        if m is not Organization
        and not m._meta.proxy
        and m._meta.managed
        and not getattr(m, "archive_skip", False)
    ]
    for model in candidates:
        owner = next(
            (f.name for f in _foreign_keys(model) if f.related_model is Organization), None
        )
        if owner:
            found[model._meta.label_lower] = ArchivedModel(model, owner)
    while True:  # children of archived models, and their children
        added = False
        for model in candidates:
            if model._meta.label_lower in found:
                continue
            parents = [
                f.name for f in _foreign_keys(model) if f.related_model._meta.label_lower in found
            ]
            if parents:
                found[model._meta.label_lower] = ArchivedModel(model, None, parents)
                added = True
        if not added:
            break
    return _ordered(found)


def _ordered(found: dict[str, ArchivedModel]) -> list[ArchivedModel]:
    ordered: list[ArchivedModel] = []
    visiting: set[str] = set()

    def visit(label: str) -> None:
        if label in visiting or any(a.label == label for a in ordered):
            return
        visiting.add(label)
        for fk in _foreign_keys(found[label].model):
            target = fk.related_model._meta.label_lower
            if target in found and target != label and not fk.null:
                visit(target)
        ordered.append(found[label])

    for label in sorted(found):
        visit(label)
    return ordered


def _rows(archived: ArchivedModel, organization: Organization, exported: dict[str, set]):
    manager = archived.model._base_manager
    if archived.owner_field:
        queryset = manager.filter(**{archived.owner_field: organization})
    else:
        condition = models.Q()
        for name in archived.parents:
            target = archived.model._meta.get_field(name).related_model._meta.label_lower
            condition |= models.Q(**{f"{name}__in": exported.get(target, set())})
        queryset = manager.filter(condition)
    return queryset.order_by("pk")


def _value(obj, f: models.Field, users: dict[int, str]):
    if isinstance(f, models.ForeignKey):
        raw = getattr(obj, f.attname)
        if raw is None:
            return None
        if f.related_model is get_user_model():
            return users[raw]
        return raw
    if isinstance(f, models.FileField):
        return getattr(obj, f.attname).name or ""
    return f.value_from_object(obj)


def _schema(archived: ArchivedModel, labels: set[str]) -> dict:
    """How to read a model's rows back: which fields point at what."""
    refs, user_refs = {}, []
    for f in _foreign_keys(archived.model):
        target = f.related_model
        if target is get_user_model():
            user_refs.append(f.name)
        elif target is Organization:
            continue
        elif target._meta.label_lower in labels:
            refs[f.name] = target._meta.label_lower
        else:
            raise ArchiveError(
                f"{archived.label}.{f.name} points at {target._meta.label}, which is neither "
                "archived nor a person: give the archive a way to restore it."
            )
    return {
        "owner": archived.owner_field,
        "references": refs,
        "people": user_refs,
        "plain_ids": plain_ids(archived.model),
        "json_ids": json_ids(archived.model),
        # A row of any model named by its label and id (LastEdit).
        "row_of": ["model", "object_id"] if archived.model is LastEdit else [],
        "files": [
            f.name for f in archived.model._meta.concrete_fields if isinstance(f, models.FileField)
        ],
    }


def _user_emails(rows: list, model) -> dict[int, str]:
    user_model = get_user_model()
    ids = {
        getattr(row, f.attname)
        for row in rows
        for f in _foreign_keys(model)
        if f.related_model is user_model
    }
    ids.discard(None)
    return dict(user_model._base_manager.filter(pk__in=ids).values_list("pk", "email"))


def _csv(rows: list[dict]) -> bytes:
    out = io.StringIO()
    names = sorted({name for row in rows for name in row})
    writer = csv.DictWriter(out, fieldnames=["id", *[n for n in names if n != "id"]])
    writer.writeheader()
    for row in rows:
        writer.writerow(
            {
                k: json.dumps(v, cls=ArchiveEncoder) if isinstance(v, dict | list) else v
                for k, v in row.items()
            }
        )
    return out.getvalue().encode()


def organization_export(organization: Organization, out) -> dict[str, int]:
    """Write `organization`'s archive (a zip) to the binary file `out`; the row count of
    each model."""
    archived = archived_models()
    labels = {a.label for a in archived}
    exported: dict[str, set] = {}
    payloads: dict[str, dict] = {}
    members: dict[str, bytes] = {}
    people: dict[str, dict] = {}
    counts: dict[str, int] = {}
    files: set[str] = set()
    for entry in archived:
        schema = _schema(entry, labels)
        rows = list(_rows(entry, organization, exported))
        exported[entry.label] = {row.pk for row in rows}
        users = _user_emails(rows, entry.model)
        written = []
        for row in rows:
            values = {
                f.name: _value(row, f, users)
                for f in entry.model._meta.concrete_fields
                if not f.primary_key and f.name != entry.owner_field
            }
            files.update(values[name] for name in schema["files"] if values[name])
            written.append({"id": row.pk, "fields": values})
        counts[entry.label] = len(written)
        payloads[entry.label] = {"schema": schema, "rows": written}
        for email in users.values():
            people[email] = {}
    # Ids inside JSON fields: kept when they name a row of the archive, cleared otherwise
    # (another organization's row, or one deleted since), as the import would.
    rename = id_renamer({label: {pk: pk for pk in pks} for label, pks in exported.items()})
    for label, payload in payloads.items():
        for row in payload["rows"]:
            for name, paths in payload["schema"]["json_ids"].items():
                row["fields"][name] = json_renamed(row["fields"][name], paths, rename)
        members[f"data/{label}.json"] = _dump(payload)
    for csv_name, label in CSV_COPIES.items():
        rows = payloads[label]["rows"]
        members[csv_name] = _csv([{"id": r["id"], **r["fields"]} for r in rows])
    user_model = get_user_model()
    for user in user_model._base_manager.filter(email__in=people).order_by("email"):
        people[user.email] = {
            "first_name": user.first_name,
            "last_name": user.last_name,
            "language": getattr(user, "language", ""),
        }
    members["people.json"] = _dump(people)
    members["organization.json"] = _dump(
        {
            f.name: f.value_from_object(organization)
            for f in Organization._meta.concrete_fields
            if not f.primary_key
        }
    )
    missing_files = []
    for name in sorted(files):
        try:
            with default_storage.open(name, "rb") as stored:
                members[f"files/{name}"] = stored.read()
        except FileNotFoundError:
            missing_files.append(name)  # a row names a file the storage lost: said, not fatal
    manifest = {
        "format": FORMAT,
        "version": VERSION,
        "organization": organization.slug,
        "exported_at": timezone.now().isoformat(),
        "counts": counts,
        "missing_files": missing_files,
        "sha256": {name: hashlib.sha256(data).hexdigest() for name, data in members.items()},
    }
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(MANIFEST, _dump(manifest))
        for name in sorted(members):
            archive.writestr(name, members[name])
    return counts


def _dump(value) -> bytes:
    return json.dumps(value, cls=ArchiveEncoder, indent=1, sort_keys=True).encode()


# Import ------------------------------------------------------------------------------


def archive_read(source) -> tuple[dict, dict[str, bytes]]:
    """The manifest and every member of the archive at `source` (a path or a binary
    file), each checked against the manifest's checksums; `ArchiveError` otherwise."""
    try:
        with zipfile.ZipFile(source) as archive:
            contents = {name: archive.read(name) for name in archive.namelist()}
    except (zipfile.BadZipFile, EOFError, OSError) as exc:
        raise ArchiveError(
            _("This is not a whole Backbone archive (truncated or damaged: %(error)s).")
            % {"error": exc}
        ) from None
    try:
        manifest = json.loads(contents.pop(MANIFEST))
    except (KeyError, ValueError):
        raise ArchiveError(_("The archive has no readable manifest.json.")) from None
    if manifest.get("format") != FORMAT:
        raise ArchiveError(_("This file is not a Backbone organization archive."))
    if manifest.get("version") not in READABLE_VERSIONS:
        raise ArchiveError(
            _("This archive has format version %(found)s; this Backbone reads version %(ours)s.")
            % {"found": manifest.get("version"), "ours": VERSION}
        )
    expected = manifest.get("sha256", {})
    missing = sorted(set(expected) - set(contents))
    extra = sorted(set(contents) - set(expected))
    if missing or extra:
        raise ArchiveError(
            _(
                "The archive does not hold what its manifest lists (missing: %(missing)s; "
                "not listed: %(extra)s)."
            )
            % {"missing": ", ".join(missing) or "-", "extra": ", ".join(extra) or "-"}
        )
    changed = sorted(
        name
        for name, data in contents.items()
        if hashlib.sha256(data).hexdigest() != expected[name]
    )
    if changed:
        raise ArchiveError(
            _(
                "The archive was changed after it was made: the checksum of %(names)s does not "
                "match its manifest. Nothing was imported."
            )
            % {"names": ", ".join(changed)}
        )
    return manifest, contents


@contextmanager
def _dates_as_given() -> Iterator[None]:
    """Keep the archived creation and change times: `auto_now(_add)` fields would stamp
    every restored row with the time of the import."""
    patched = []
    for model in [Organization, *[a.model for a in archived_models()]]:
        for f in model._meta.concrete_fields:
            if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False):
                patched.append((f, f.auto_now, f.auto_now_add))
                f.auto_now = f.auto_now_add = False
    try:
        yield
    finally:
        for f, auto_now, auto_now_add in patched:
            f.auto_now, f.auto_now_add = auto_now, auto_now_add


def organization_delete_rows(organization: Organization) -> None:
    """Remove the organization and every row the archive would hold (for `--replace`):
    children first, without signals; the database checks the keys at commit."""
    exported: dict[str, set] = {}
    querysets = []
    for entry in archived_models():
        queryset = _rows(entry, organization, exported)
        exported[entry.label] = set(queryset.values_list("pk", flat=True))
        querysets.append(queryset)
    for queryset in reversed(querysets):
        queryset._raw_delete(queryset.db)
    Organization.objects.filter(pk=organization.pk)._raw_delete(Organization.objects.db)


def _user_for(email: str, people: dict, created: list) -> int:
    user_model = get_user_model()
    user = user_model._base_manager.filter(email__iexact=email).first()
    if user is None:
        details = people.get(email, {})
        user = user_model(
            email=email,
            first_name=details.get("first_name", ""),
            last_name=details.get("last_name", ""),
        )
        if hasattr(user, "language"):
            user.language = details.get("language", "")
        user.set_unusable_password()
        user.save()
        created.append(email)
    return user.pk


def _file_saved(name: str, data: bytes) -> str:
    """Store a file of the archive; the same name when it is free or already holds the
    same bytes (an import over a restored copy of itself)."""
    if default_storage.exists(name):
        with default_storage.open(name, "rb") as stored:
            if stored.read() == data:
                return name
    return default_storage.save(name, ContentFile(data))


@dataclass
class ImportResult:
    organization: Organization
    counts: dict[str, int]
    people_created: list[str]


def organization_import(source, *, slug: str | None = None, replace: bool = False) -> ImportResult:
    """Restore the archive at `source` as the organization `slug` (by default the one it
    was exported from), in one transaction: all of it, or nothing. A slug already here is
    refused unless `replace`, which deletes that organization's rows first."""
    manifest, contents = archive_read(source)
    slug = slug or manifest["organization"]
    archived = archived_models()
    by_label = {a.label: a for a in archived}
    unknown = sorted(
        name[5:-5] for name in contents if name.startswith("data/") and name[5:-5] not in by_label
    )
    if unknown:
        raise ArchiveError(
            _("This Backbone has no place for %(models)s from the archive.")
            % {"models": ", ".join(unknown)}
        )
    people = json.loads(contents["people.json"])
    with transaction.atomic(), _dates_as_given():
        existing = Organization.objects.filter(slug=slug).first()
        if existing and not replace:
            raise ArchiveError(
                _(
                    "An organization with the address “%(slug)s” is already here: choose "
                    "another (--slug) or replace it (--replace)."
                )
                % {"slug": slug}
            )
        if existing:
            organization_delete_rows(existing)
        values = json.loads(contents["organization.json"])
        organization = Organization(**{**values, "slug": slug})
        for f in Organization._meta.concrete_fields:
            if not f.primary_key:
                setattr(organization, f.attname, f.to_python(getattr(organization, f.attname)))
        organization.save()
        new_ids: dict[str, dict[int, int]] = {}
        users: dict[str, int] = {}
        created: list[str] = []
        later: list[tuple] = []  # (model, new id, field, label, old id): linked at the end
        counts: dict[str, int] = {}
        saved_files: dict[str, str] = {}
        json_declared: dict[str, dict] = {}  # label -> where ids are in its JSON fields
        for entry in archived:
            data = contents.get(f"data/{entry.label}.json")
            if data is None:
                counts[entry.label] = 0
                continue
            payload = json.loads(data)
            schema, rows = payload["schema"], payload["rows"]
            json_declared[entry.label] = json_ids(entry.model, also=schema.get("json_ids", {}))
            objects, pending = [], []
            for row in rows:
                obj = entry.model()
                waiting = []
                for name, value in row["fields"].items():
                    f = entry.model._meta.get_field(name)
                    if name in schema["people"]:
                        if value is not None and value not in users:
                            users[value] = _user_for(value, people, created)
                        setattr(obj, f.attname, None if value is None else users[value])
                    elif name in schema["references"]:
                        target = schema["references"][name]
                        if value is not None and value in new_ids.get(target, {}):
                            setattr(obj, f.attname, new_ids[target][value])
                        else:
                            setattr(obj, f.attname, None)
                            if value is not None:
                                waiting.append((f.attname, target, value))
                    elif name in schema["files"]:
                        stored = contents.get(f"files/{value}")
                        if value and stored is not None and value not in saved_files:
                            saved_files[value] = _file_saved(value, stored)
                        setattr(obj, f.attname, saved_files.get(value, value))
                    else:
                        setattr(obj, f.attname, f.to_python(value))
                if entry.owner_field:
                    setattr(
                        obj, entry.model._meta.get_field(entry.owner_field).attname, organization.pk
                    )
                objects.append(obj)
                pending.append(waiting)
            _fresh_unique_values(entry.model, objects)
            made = entry.model._base_manager.bulk_create(objects, batch_size=500)
            new_ids[entry.label] = {row["id"]: obj.pk for row, obj in zip(rows, made, strict=True)}
            for obj, waiting in zip(made, pending, strict=True):
                later.extend(
                    (entry.model, obj.pk, attname, label, old) for attname, label, old in waiting
                )
            counts[entry.label] = len(made)
        for model, pk, attname, label, old in later:
            model._base_manager.filter(pk=pk).update(**{attname: new_ids[label][old]})
        ids_remap(archived, organization, new_ids, json_declared)
    return ImportResult(organization, counts, created)


def _fresh_unique_values(model, objects: list) -> None:
    """A value unique across the site (a link's token) that another organization here
    already holds gets a fresh one: a copy restored beside its original must not answer
    the original's links."""
    for f in model._meta.concrete_fields:
        if not f.unique or f.primary_key or isinstance(f, models.ForeignKey):
            continue
        values = [getattr(obj, f.attname) for obj in objects]
        taken = set(
            model._base_manager.filter(**{f"{f.attname}__in": values}).values_list(
                f.attname, flat=True
            )
        )
        for obj in objects:
            if getattr(obj, f.attname) in taken:
                fresh = f.get_default() if f.has_default() else secrets.token_hex(32)
                setattr(obj, f.attname, fresh[: f.max_length] if f.max_length else fresh)
