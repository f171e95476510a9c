"""The organization archive (`backbone.archive`, `export_organization`, `import_organization`):
every tenant model is in it, Riverside goes out and back into an empty database unchanged,
and a damaged archive or a taken address is refused with nothing half-imported."""

import csv
import hashlib
import io
import json
import zipfile

import pytest
from django.apps import apps
from django.core.management import CommandError, call_command
from django.db import models
from django_scopes import scopes_disabled

from backbone.archive import MANIFEST, ArchiveError, archived_models, organization_import
from backbone.archive_ids import json_renamed
from backbone.models import Organization, TenantModel, User
from stakeholders.models import Contact


def test_every_tenant_model_and_every_model_of_an_organization_is_archived():
    archived = {a.label for a in archived_models()}
    tenant = {
        m._meta.label_lower
        for m in apps.get_models()
        if issubclass(m, TenantModel) and not getattr(m, "archive_skip", False)
    }
    owned = {
        m._meta.label_lower
        for m in apps.get_models()
        if any(
            isinstance(f, models.ForeignKey) and f.related_model is Organization
            for f in m._meta.concrete_fields
        )
        and not getattr(m, "archive_skip", False)
    }
    assert tenant and tenant <= archived, tenant - archived
    assert owned <= archived, owned - archived
    assert "stakeholders.contact_tags" in archived  # a many-to-many table, as a child


def read(path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def canonical(contents: dict[str, bytes]) -> dict:
    """The archive with every id (a key's, a plain number's, one inside JSON) replaced by
    the row's rank in its model (ids differ between databases; ranks don't, since an
    import inserts rows in the archive's order)."""
    data = {
        name[5:-5]: json.loads(body) for name, body in contents.items() if name.startswith("data/")
    }
    rank = {
        label: {row["id"]: n for n, row in enumerate(payload["rows"])}
        for label, payload in data.items()
    }
    out = {}
    for label, payload in data.items():
        schema = payload["schema"]
        rows = []
        for row in payload["rows"]:
            fields = dict(row["fields"])
            for name, target in {**schema["references"], **schema["plain_ids"]}.items():
                if fields[name] is not None:
                    fields[name] = rank[target].get(fields[name], ("outside", fields[name]))
            for name, paths in schema["json_ids"].items():
                fields[name] = json_renamed(
                    fields[name], paths, lambda t, old: rank.get(t, {}).get(old, ("outside", old))
                )
            if schema["row_of"]:
                kind, id_name = schema["row_of"]
                fields[id_name] = rank.get(fields[kind], {}).get(fields[id_name], "org")
            rows.append({"rank": rank[label][row["id"]], "fields": fields})
        out[f"data/{label}"] = (schema, rows)
    for name, body in contents.items():
        if name.endswith(".csv"):
            label = {"people.csv": "stakeholders.contact", "values.csv": "measures.datapoint"}[name]
            schema = data[label]["schema"]
            table = list(csv.DictReader(io.StringIO(body.decode())))
            for line in table:
                line["id"] = rank[label][int(line["id"])]
                for column, target in schema["references"].items():
                    if line[column]:
                        line[column] = rank[target][int(line[column])]
            out[name] = table
        elif not name.startswith("data/") and name != MANIFEST:
            out[name] = body  # organization.json, people.json, files/…
    return out


@pytest.mark.django_db(transaction=True)
def test_riverside_goes_out_into_an_empty_database_and_comes_back_the_same(tmp_path):
    call_command("seed_demo")
    first, second = tmp_path / "first.zip", tmp_path / "second.zip"
    call_command("export_organization", "riverside", out=str(first))
    before = read(first)
    manifest = json.loads(before[MANIFEST])
    counts = manifest["counts"]
    assert counts["stakeholders.contact"] >= 50 and counts["stakeholders.capacityassessment"] == 4
    assert counts["measures.datapoint"] > 0 and counts["stakeholders.contact_tags"] > 0
    assert sum(1 for n in before if n.startswith("data/")) == len(archived_models())
    assert before["people.csv"].decode().count("\n") == counts["stakeholders.contact"] + 1

    call_command("flush", interactive=False)  # an empty database: no people, no organization
    assert not User.objects.exists() and not Organization.objects.exists()
    call_command("import_organization", str(first))
    riverside = Organization.objects.get(slug="riverside")
    admin = User.objects.get(email="admin@riverside.example")
    assert not admin.has_usable_password()  # created, not given the old password
    assert riverside.memberships.filter(user=admin, role="admin").exists()

    call_command("export_organization", "riverside", out=str(second))
    after = read(second)
    assert sorted(before) == sorted(after)
    one, two = canonical(before), canonical(after)
    for name in sorted(one):
        assert one[name] == two[name], name
    assert json.loads(after[MANIFEST])["counts"] == counts


def _demo_archive(tmp_path) -> str:
    call_command("seed_demo")
    path = tmp_path / "riverside.zip"
    call_command("export_organization", "riverside", out=str(path))
    return str(path)


def _rewrite(path: str, out, change, *, fix_manifest: bool) -> str:
    contents = read(path)
    change(contents)
    if fix_manifest:
        manifest = json.loads(contents[MANIFEST])
        manifest["sha256"] = {
            n: hashlib.sha256(b).hexdigest() for n, b in contents.items() if n != MANIFEST
        }
        contents[MANIFEST] = json.dumps(manifest).encode()
    with zipfile.ZipFile(out, "w") as archive:
        for name, body in contents.items():
            archive.writestr(name, body)
    return str(out)


@pytest.mark.django_db
def test_an_address_already_taken_is_refused_without_replace(tmp_path):
    path = _demo_archive(tmp_path)
    with pytest.raises(CommandError, match="already here"):
        call_command("import_organization", path)
    with scopes_disabled():
        call_command("import_organization", path, replace=True)
        riverside = Organization.objects.get(slug="riverside")
        assert riverside.memberships.count() == 4
        assert Organization.objects.filter(slug="northbay").exists()  # untouched
    call_command("import_organization", path, slug="riverside-copy")  # a new address
    copy = Organization.objects.get(slug="riverside-copy")
    assert copy.name == "Riverside Collective" and copy.pk != riverside.pk


@pytest.mark.django_db
def test_a_tampered_archive_is_refused_and_nothing_is_imported(tmp_path):
    path = _demo_archive(tmp_path)

    def tamper(contents):
        name = "data/stakeholders.partner.json"
        contents[name] = contents[name].replace(b"Riverside", b"Rivershade", 1)

    bad = _rewrite(path, tmp_path / "bad.zip", tamper, fix_manifest=False)
    with pytest.raises(ArchiveError, match="changed after it was made.*stakeholders.partner"):
        organization_import(bad, slug="elsewhere")
    assert not Organization.objects.filter(slug="elsewhere").exists()


@pytest.mark.django_db
def test_a_truncated_archive_is_refused_with_a_clear_message(tmp_path):
    path = _demo_archive(tmp_path)
    cut = tmp_path / "cut.zip"
    with open(path, "rb") as whole:
        data = whole.read()
    cut.write_bytes(data[: len(data) // 2])
    with pytest.raises(CommandError, match="not a whole Backbone archive"):
        call_command("import_organization", str(cut), slug="elsewhere")
    assert not Organization.objects.filter(slug="elsewhere").exists()


@pytest.mark.django_db
def test_an_archive_failing_midway_leaves_nothing_half_imported(tmp_path):
    path = _demo_archive(tmp_path)

    def break_a_late_row(contents):
        # Valid checksums, but a value the database refuses, in a model restored late.
        name = "data/stakeholders.tag.json"
        payload = json.loads(contents[name])
        payload["rows"][0]["fields"]["name"] = "x" * 500
        contents[name] = json.dumps(payload).encode()
        people = json.loads(contents["people.json"])
        people["newcomer@example.org"] = {"first_name": "New", "last_name": "", "language": ""}
        contents["people.json"] = json.dumps(people).encode()

    bad = _rewrite(path, tmp_path / "bad.zip", break_a_late_row, fix_manifest=True)
    users = User.objects.count()
    with pytest.raises(Exception):  # noqa: B017, PT011 - the database's own refusal
        organization_import(bad, slug="elsewhere")
    assert not Organization.objects.filter(slug="elsewhere").exists()
    assert User.objects.count() == users
    with scopes_disabled():
        assert not Contact.objects.filter(organization__slug="elsewhere").exists()
