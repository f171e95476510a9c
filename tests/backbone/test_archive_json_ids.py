"""Ids inside JSON fields in the organization archive (`backbone.archive_ids`): every JSON
field of an archived model says where its ids are, and an import beside the original
(where every row takes a new id) makes them name the copy's own rows, never the
original's."""

import inspect
import json
from importlib import import_module
from importlib.util import find_spec

import pytest
from celery import current_app
from django.apps import apps
from django.core.management import call_command
from django_scopes import scopes_disabled

from backbone.archive import MANIFEST, ArchiveError, archived_models, organization_import
from backbone.archive_ids import json_fields, json_ids, json_renamed
from backbone.models import JobRun, Organization, OrganizationArchive, User
from backbone.tasks import TenantTask
from initiatives.models import PhaseTransition, ReadinessItem
from plans.models import PlanVersion, ReportCard, Review, ReviewRespondent
from stakeholders.importing import batch_store, import_prepare
from stakeholders.models import Contact, ImportBatch, ImportKind, Partner

from .test_archive import _rewrite, canonical, read


def test_a_path_renames_ids_in_lists_and_keys_and_clears_the_unknown():
    value = {
        "args": [],
        "kwargs": {"review_id": 1, "respondent_ids": [1, 2, 3], "subject": "Hello"},
        "other": [{"id": 1}],
    }
    paths = {"kwargs.review_id": "a.review", "kwargs.respondent_ids[]": "a.respondent"}
    ids = {"a.review": {1: 10}, "a.respondent": {1: 11, 3: 13}}
    renamed = json_renamed(value, paths, lambda label, old: ids[label].get(old))
    assert renamed == {
        "args": [],
        "kwargs": {"review_id": 10, "respondent_ids": [11, 13], "subject": "Hello"},
        "other": [{"id": 1}],  # not declared: untouched
    }
    assert value["kwargs"]["review_id"] == 1  # the value given is not changed
    rows = [{"contact_id": 5, "clean": {"partner_id": 7}}, {"clean": {}}, {"contact_id": None}]
    paths = {"[].contact_id": "s.contact", "[].clean.partner_id": "s.partner"}
    ids = {"s.contact": {5: 50}, "s.partner": {}}
    assert json_renamed(rows, paths, lambda label, old: ids[label].get(old)) == [
        {"contact_id": 50, "clean": {"partner_id": None}},  # not in the archive: cleared
        {"clean": {}},
        {"contact_id": None},
    ]
    assert json_renamed("not a list", paths, lambda label, old: 1) == "not a list"


def _tenant_tasks() -> list:
    for config in apps.get_app_configs():
        if find_spec(f"{config.name}.tasks"):
            import_module(f"{config.name}.tasks")
    return [t for t in current_app.tasks.values() if isinstance(t, TenantTask)]


def test_every_json_field_of_an_archived_model_says_where_its_ids_are():
    declared_models = 0
    for entry in archived_models():
        fields = json_fields(entry.model)
        declared = getattr(entry.model, "archive_json_ids", None)
        if not fields:
            assert declared is None, f"{entry.label} declares ids for JSON it does not have"
            continue
        declared_models += 1
        assert declared is not None, f"{entry.label}: declare `archive_json_ids` for {fields}"
        assert sorted(declared) == sorted(fields), entry.label
        for paths in declared.values():
            for label in paths.values():
                assert apps.get_model(label)  # a model that exists
    assert declared_models >= 7
    assert json_ids(ImportBatch)["rows"]["[].contact_id"] == "stakeholders.contact"


def test_every_id_a_task_takes_is_declared_among_a_jobs_arguments():
    declared = JobRun.archive_json_ids["arguments"]
    tasks = _tenant_tasks()
    assert len(tasks) >= 10
    seen = set()
    for task in tasks:
        for name, parameter in inspect.signature(task.run).parameters.items():
            if parameter.kind is inspect.Parameter.POSITIONAL_OR_KEYWORD:
                assert name in ("self", "organization"), f"{task.name} takes {name} by position"
            elif name.endswith("_ids"):
                seen.add(f"kwargs.{name}[]")
            elif name.endswith("_id"):
                seen.add(f"kwargs.{name}")
    assert seen == set(declared), set(declared) ^ seen


def _add_json_ids(riverside) -> dict:
    """What the demo lacks: import previews naming contacts and partners, a job naming a
    row the archive leaves out, and a job naming a row deleted since."""
    user = User.objects.get(email="admin@riverside.example")
    contact = Contact.objects.filter(organization=riverside, partner__isnull=False).exclude(
        email=""
    )[0]
    partner = Partner.objects.filter(organization=riverside).exclude(pk=contact.partner_id)[0]
    raw = (
        "first_name,last_name,email,partner,sector\n"
        f"{contact.first_name},{contact.last_name},{contact.email},{partner.name},"
        f"{contact.sector}\n"
        f"Newcomer,Person,newcomer@example.org,{partner.name},{contact.sector}\n"
    ).encode()
    contacts = import_prepare(
        organization=riverside,
        kind=ImportKind.CONTACTS,
        filename="contacts.csv",
        raw=raw,
        created_by=user,
    )
    partners = import_prepare(
        organization=riverside,
        kind=ImportKind.PARTNERS,
        filename="partners.csv",
        raw=f"name,sector\n{partner.name},{partner.sector}\n".encode(),
        created_by=user,
    )
    values = batch_store(
        organization=riverside,
        kind=ImportKind.VALUES,
        filename="values.csv",
        rows=[],
        created_by=user,
        result={"partner": partner.pk, "period": "2026-Q1"},
    )
    archive = OrganizationArchive.objects.create(organization=riverside)
    JobRun.objects.create(
        organization=riverside,
        task_name="backbone.organization_archive_build",
        arguments={"args": [], "kwargs": {"archive_id": archive.pk}},
    )
    ours, gone = ReviewRespondent.objects.filter(organization=riverside).order_by("pk")[:2]
    gone_id = gone.pk
    gone.delete()  # removed after the job was sent: its id names no row of the archive
    JobRun.objects.create(
        organization=riverside,
        task_name="plans.send_review_links",
        arguments={
            "args": [],
            "kwargs": {"review_id": ours.review_id, "respondent_ids": [gone_id, ours.pk]},
        },
    )
    return {"contacts": contacts, "partners": partners, "values": values}


def _batch(copy, original: ImportBatch) -> ImportBatch:
    return ImportBatch.objects.get(organization=copy, filename=original.filename)


def _assert_batches(copy, made: dict) -> None:
    contacts = _batch(copy, made["contacts"])
    known, new = contacts.rows
    original = Contact.objects.get(pk=made["contacts"].rows[0]["contact_id"])
    contact = Contact.objects.get(pk=known["contact_id"])
    assert (contact.organization, contact.email) == (copy, original.email)
    partner_name = Partner.objects.get(pk=made["contacts"].rows[1]["clean"]["partner_id"]).name
    for row in (known, new):
        partner = Partner.objects.get(pk=row["clean"]["partner_id"])
        assert (partner.organization, partner.name) == (copy, partner_name)
    partner = Partner.objects.get(pk=_batch(copy, made["partners"]).rows[0]["partner_id"])
    assert (partner.organization, partner.name) == (copy, partner_name)
    values = _batch(copy, made["values"])
    assert values.result["period"] == "2026-Q1"
    partner = Partner.objects.get(pk=values.result["partner"])
    assert (partner.organization, partner.name) == (copy, partner_name)


def _described(job: JobRun, organization) -> dict:
    """What a job's arguments name, by name (and whether it is `organization`'s row)."""
    kwargs = job.arguments["kwargs"]
    out = {}
    if "report_card_id" in kwargs:
        card = ReportCard.objects.get(pk=kwargs["report_card_id"])
        out["card"] = (card.organization == organization, card.initiative.name, card.period)
    if "review_id" in kwargs:
        review = Review.objects.get(pk=kwargs["review_id"])
        out["review"] = (review.organization == organization, str(review.initiative), review.year)
    if "respondent_ids" in kwargs:
        respondents = ReviewRespondent.objects.filter(pk__in=kwargs["respondent_ids"])
        out["respondents"] = sorted((r.organization == organization, r.email) for r in respondents)
    if "archive_id" in kwargs:
        out["archive"] = kwargs["archive_id"] is not None
    return out


def _assert_jobs(riverside, copy) -> None:
    jobs = JobRun.objects.order_by("pk")
    before = [_described(j, riverside) for j in jobs.filter(organization=riverside)]
    after = [_described(j, copy) for j in jobs.filter(organization=copy)]
    assert {"card", "review", "respondents", "archive"} <= {k for d in after for k in d}
    for job in before:
        if "archive" in job:  # archives are not in the archive: cleared, not kept
            job["archive"] = False
    assert after == before
    links = jobs.get(organization=copy, task_name="plans.send_review_links")
    assert len(links.arguments["kwargs"]["respondent_ids"]) == 1  # the deleted one: dropped
    assert all(named[0] for job in after for key, named in job.items() if key in ("card", "review"))


@pytest.mark.django_db
def test_ids_inside_json_name_the_copys_own_rows_after_an_import_beside_the_original(
    tmp_path, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        call_command("seed_demo")  # and its jobs: the report cards' PDFs, the review's
    with scopes_disabled():
        riverside = Organization.objects.get(slug="riverside")
        made = _add_json_ids(riverside)
        path = tmp_path / "riverside.zip"
        call_command("export_organization", "riverside", out=str(path))
        copy = organization_import(str(path), slug="riverside-copy").organization

        # Every row of the copy has a new id, above the original's: an id left as it was
        # would name the original's row (another organization's), not the copy's.
        assert ReadinessItem.objects.filter(organization=copy).order_by("pk")[0].pk > max(
            ReadinessItem.objects.filter(organization=riverside).values_list("pk", flat=True)
        )
        _assert_batches(copy, made)
        _assert_jobs(riverside, copy)

        moves = PhaseTransition.objects.filter(initiative__organization=copy).exclude(open_items=[])
        assert moves
        for move in moves:
            for item in move.open_items:
                row = ReadinessItem.objects.get(pk=item["id"])
                assert row.initiative_id == move.initiative_id
                assert (row.component, row.text) == (item["component"], item["text"])
        # Snapshots hold names and figures, no ids: they come back as they were.
        for model, name in ((ReportCard, "snapshot"), (PlanVersion, "data_snapshot")):
            key = "initiative__name" if model is ReportCard else "plan__initiative__name"
            order = [key, "pk"]
            one = model.objects.filter(organization=riverside).order_by(*order)
            two = model.objects.filter(organization=copy).order_by(*order)
            assert [getattr(o, name) for o in one] == [getattr(o, name) for o in two]
            assert any(getattr(o, name) for o in two), model
        reflections = PhaseTransition.objects.filter(initiative__organization=copy)
        assert any(move.reflections for move in reflections)

        # The PDFs come back byte for byte, beside the original's files.
        cards = ReportCard.objects.exclude(pdf="").order_by("initiative__name", "period")
        pdfs = [
            (a, b)
            for a, b in zip(
                cards.filter(organization=riverside), cards.filter(organization=copy), strict=True
            )
        ]
        assert pdfs
        for original, card in pdfs:
            with original.pdf.open("rb") as one, card.pdf.open("rb") as two:
                data = two.read()
                assert data.startswith(b"%PDF") and data == one.read()

        # Exported again, the copy's JSON fields are the original's, id for id (by rank;
        # the rest differs only by the fresh tokens a copy beside its original gets).
        again = tmp_path / "again.zip"
        call_command("export_organization", "riverside-copy", out=str(again))
    one, two = canonical(read(path)), canonical(read(again))
    compared = 0
    for name in [n for n in one if n.startswith("data/")]:
        schema, rows = one[name]
        if schema["json_ids"]:
            fields = sorted(schema["json_ids"])
            other = two[name][1]
            assert [[r["fields"][f] for f in fields] for r in rows] == [
                [r["fields"][f] for f in fields] for r in other
            ], name
            compared += len(rows)
    assert compared > 10


@pytest.mark.django_db
def test_a_version_1_archive_is_read_and_its_json_ids_remapped_and_a_newer_one_refused(
    tmp_path,
):
    call_command("seed_demo")
    path = tmp_path / "riverside.zip"
    call_command("export_organization", "riverside", out=str(path))

    def as_version(version: int):
        def change(contents):
            manifest = json.loads(contents[MANIFEST])
            manifest["version"] = version
            contents[MANIFEST] = json.dumps(manifest).encode()
            for name in [n for n in contents if n.startswith("data/")]:
                payload = json.loads(contents[name])
                del payload["schema"]["json_ids"]
                contents[name] = json.dumps(payload).encode()

        return change

    old = _rewrite(str(path), tmp_path / "v1.zip", as_version(1), fix_manifest=True)
    with scopes_disabled():
        copy = organization_import(old, slug="riverside-v1").organization
        moves = PhaseTransition.objects.filter(initiative__organization=copy)
        ids = [item["id"] for move in moves for item in move.open_items]
        assert ids
        assert ReadinessItem.objects.filter(pk__in=ids, organization=copy).count() == len(ids)
    newer = _rewrite(str(path), tmp_path / "v3.zip", as_version(3), fix_manifest=True)
    with pytest.raises(ArchiveError, match="format version 3"):
        organization_import(newer, slug="riverside-v3")
    assert not Organization.objects.filter(slug="riverside-v3").exists()
