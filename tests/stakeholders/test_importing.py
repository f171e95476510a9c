"""CSV import: preview every row, save nothing until confirmed, skip bad rows, re-import changes nothing."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django_scopes import scope

from stakeholders.csv_files import ImportFileError
from stakeholders.importing import import_apply, import_cancel, import_prepare
from stakeholders.models import (
    ConsentRecord,
    ConsentSource,
    ConsentStatus,
    Contact,
    ImportBatch,
    Partner,
)
from stakeholders.services import consent_unsubscribe

from .factories import ContactFactory, PartnerFactory

CONTACTS = (
    "first_name,last_name,email,phone,partner,sector,lived_experience,tags,consent,notes\n"
    'Aisha,Chen,aisha@example.org,613-555-0100,Food Bank,non_profit,no,"speaker, early years",yes,\n'
    "Rosa,Martinez,rosa@example.org,,,community,yes,,no,Eastbank resident\n"
)


def prepare(
    world, text, kind="contacts", basis="Signed sign-up sheet, October forum", encoding="utf-8"
):
    raw = text.encode(encoding) if isinstance(text, str) else text
    with scope(organization=world.org):
        return import_prepare(
            organization=world.org,
            kind=kind,
            filename="people.csv",
            raw=raw,
            created_by=world.coordinator,
            consent_basis=basis,
        )


def outcomes(batch):
    return [(row["line"], row["outcome"]) for row in batch.rows]


def apply(world, batch):
    with scope(organization=world.org):
        return import_apply(batch=batch, applied_by=world.coordinator)


def test_the_preview_shows_each_rows_outcome_and_saves_nothing(world):
    PartnerFactory(organization=world.org, name="Food Bank")
    ContactFactory(
        organization=world.org,
        first_name="Rosa",
        last_name="Martinez",
        email="rosa@example.org",
        sector="community",
    )
    batch = prepare(world, CONTACTS)
    assert outcomes(batch) == [(2, "new"), (3, "update")]
    with scope(organization=world.org):
        assert Contact.objects.count() == 1
        assert not ConsentRecord.objects.exists()


def test_confirming_applies_rows_with_tags_partner_and_consent_basis(world):
    food_bank = PartnerFactory(organization=world.org, name="Food Bank")
    counts = apply(world, prepare(world, CONTACTS))
    assert counts == {"new": 2, "update": 0, "unchanged": 0, "error": 0}
    with scope(organization=world.org):
        aisha = Contact.objects.get(email="aisha@example.org")
        assert aisha.partner == food_bank and aisha.phone == "613-555-0100"
        assert sorted(t.name for t in aisha.tags.all()) == ["early years", "speaker"]
        assert aisha.consent == ConsentStatus.GIVEN
        record = aisha.consent_records.get()
        assert record.source == ConsentSource.IMPORT
        assert (
            "Signed sign-up sheet, October forum" in record.basis and "people.csv" in record.basis
        )
        rosa = Contact.objects.get(email="rosa@example.org")
        assert rosa.lived_experience and rosa.consent == ConsentStatus.NONE
        assert rosa.notes == "Eastbank resident"


def test_reimporting_the_same_file_changes_nothing(world):
    PartnerFactory(organization=world.org, name="Food Bank")
    apply(world, prepare(world, CONTACTS))
    with scope(organization=world.org):
        before = list(Contact.objects.values().order_by("pk"))
        consents = ConsentRecord.objects.count()
    again = prepare(world, CONTACTS)
    assert outcomes(again) == [(2, "unchanged"), (3, "unchanged")]
    apply(world, again)
    with scope(organization=world.org):
        assert list(Contact.objects.values().order_by("pk")) == before
        assert ConsentRecord.objects.count() == consents


def test_cancelling_saves_nothing_and_forgets_the_rows(world):
    batch = prepare(world, "first_name,sector\nMaya,health\n")
    with scope(organization=world.org):
        import_cancel(batch=batch)
        batch.refresh_from_db()
        assert batch.status == ImportBatch.Status.CANCELLED and batch.rows == []
        assert not Contact.objects.exists()


def test_bad_rows_are_skipped_and_good_rows_still_land(world):
    text = (
        "first_name,email,sector,partner\n"
        "Good,good@example.org,health,\n"
        "Bad,not-an-email,health,\n"
        "Worse,worse@example.org,charity-ish,\n"
        "Lost,lost@example.org,other,Nowhere Inc\n"
        ",nobody@example.org,other,\n"
    )
    batch = prepare(world, text)
    errors = {row["line"]: " ".join(row["errors"]) for row in batch.rows if row["errors"]}
    assert "Row 3, column “email”: “not-an-email” is not an e-mail address." in errors[3]
    assert "Row 4, column “sector”: “charity-ish” is not a sector we know" in errors[4]
    assert "Row 5, column “partner”: no partner named “Nowhere Inc”" in errors[5]
    assert "Row 6, column “first_name”" in errors[6]
    assert apply(world, batch) == {"new": 1, "update": 0, "unchanged": 0, "error": 4}
    with scope(organization=world.org):
        assert list(Contact.objects.values_list("email", flat=True)) == ["good@example.org"]


def test_duplicate_rows_in_the_file_import_once(world):
    text = (
        "first_name,email,sector\nAisha,aisha@example.org,health\nAisha,AISHA@example.org,health\n"
    )
    batch = prepare(world, text)
    assert outcomes(batch) == [(2, "new"), (3, "error")]
    assert "repeats row 2" in batch.rows[1]["errors"][0]
    apply(world, batch)
    with scope(organization=world.org):
        assert Contact.objects.count() == 1


def test_a_utf8_bom_and_semicolons_are_understood(world):
    text = "\ufeffPrénom;first_name;sector\n"  # an unknown column first: refused
    with pytest.raises(ImportFileError, match="Unknown column"):
        prepare(world, text)
    text = "\ufefffirst_name;last_name;sector;lived_experience\nChloé;Lavoie;Community group / lived experience;oui\n"
    batch = prepare(world, text)
    assert outcomes(batch) == [(2, "new")]
    apply(world, batch)
    with scope(organization=world.org):
        chloe = Contact.objects.get()
    assert (chloe.first_name, chloe.sector, chloe.lived_experience) == ("Chloé", "community", True)


def test_header_names_are_forgiving_about_case_spaces_and_common_aliases(world):
    batch = prepare(world, "First Name,Last Name,E-mail,Sector\nBen,Gill,ben@example.org,Health\n")
    assert outcomes(batch) == [(2, "new")]


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        (b"", "The file is empty"),
        (b"   \n", "The file is empty"),
        (b"first_name,sector\n", "no rows"),
        (b"PK\x03\x04\x14\x00\x06\x00", "spreadsheet file, not CSV"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00", "not a CSV text file"),
        (
            "first_name,sector\nFrançois,health\n".encode("latin-1"),
            "not UTF-8 text (first unreadable character on line 2)",
        ),
        (b"last_name,email\nChen,a@example.org\n", "Missing column(s): first_name, sector"),
        (
            b"first_name,sector,favourite_colour\nA,health,blue\n",
            "Unknown column(s): “favourite_colour”",
        ),
    ],
    ids=[
        "empty",
        "blank",
        "header-only",
        "xlsx",
        "binary",
        "latin-1",
        "missing-columns",
        "unknown-column",
    ],
)
def test_a_file_that_cannot_be_imported_gets_a_clear_message(world, raw, message):
    with pytest.raises(ImportFileError, match=re.escape(message)):
        prepare(world, raw)
    with scope(organization=world.org):
        assert not ImportBatch.objects.exists()


def test_consent_yes_needs_a_stated_basis(world):
    with pytest.raises(ImportFileError, match="consent basis"):
        prepare(world, "first_name,email,sector,consent\nA,a@example.org,health,yes\n", basis="")


def test_an_import_never_resubscribes_someone_who_unsubscribed(world):
    contact = ContactFactory(
        organization=world.org, first_name="Left", email="left@example.org", sector="health"
    )
    with scope(organization=world.org):
        consent_unsubscribe(contact=contact)
    batch = prepare(world, "first_name,email,sector,consent\nLeft,left@example.org,health,yes\n")
    assert outcomes(batch) == [(2, "unchanged")]
    assert "does not subscribe them again" in batch.rows[0]["notes"][0]
    apply(world, batch)
    contact.refresh_from_db()
    assert contact.consent == ConsentStatus.WITHDRAWN


def test_updates_fill_and_change_but_a_blank_cell_never_erases(world):
    contact = ContactFactory(
        organization=world.org,
        first_name="Ben",
        email="ben@example.org",
        phone="613-555-0199",
        sector="other",
    )
    batch = prepare(world, "first_name,email,phone,sector\nBen,ben@example.org,,health\n")
    assert outcomes(batch) == [(2, "update")] and batch.rows[0]["changes"] == ["sector"]
    apply(world, batch)
    contact.refresh_from_db()
    assert (contact.sector, contact.phone) == ("health", "613-555-0199")


def test_a_batch_is_applied_once_only(world):
    from stakeholders.importing import ImportBatchClosed

    batch = prepare(world, "first_name,sector\nMaya,health\n")
    apply(world, batch)
    with pytest.raises(ImportBatchClosed):
        apply(world, batch)
    with scope(organization=world.org):
        assert Contact.objects.count() == 1


def test_partners_import_matches_by_name_and_reimport_changes_nothing(world):
    PartnerFactory(organization=world.org, name="Riverside Public Library", sector="other")
    text = (
        "name,sector,website,notes\n"
        "Riverside Public Library,government,rpl.example,\n"
        "Confluence Credit Union,business,https://confluencecu.example,Financial literacy program\n"
        "Mystery Org,secret society,,\n"
    )
    batch = prepare(world, text, kind="partners")
    assert outcomes(batch) == [(2, "update"), (3, "new"), (4, "error")]
    apply(world, batch)
    with scope(organization=world.org):
        library = Partner.objects.get(name="Riverside Public Library")
        assert (library.sector, library.website) == ("government", "https://rpl.example")
        assert Partner.objects.count() == 2
    assert outcomes(prepare(world, text, kind="partners")) == [
        (2, "unchanged"),
        (3, "unchanged"),
        (4, "error"),
    ]


# Through the pages -----------------------------------------------------------


def upload(client, text, kind="contacts", basis=""):
    return client.post(
        reverse("stakeholders:import_start", kwargs={"org_slug": "riverside"}),
        {
            "kind": kind,
            "consent_basis": basis,
            "file": SimpleUploadedFile("people.csv", text.encode(), "text/csv"),
        },
    )


def test_upload_preview_and_confirm_through_the_pages(world, login):
    client = login(world.coordinator)
    response = upload(
        client, "first_name,email,sector\nMaya,maya@example.org,health\nBad,bad@,health\n"
    )
    assert response.status_code == 302
    preview = client.get(response["Location"])
    assert "1 new" in preview.text and "1 with errors" in preview.text
    assert "Row 3, column “email”" in preview.text
    with scope(organization=world.org):
        assert not Contact.objects.exists()
        batch = ImportBatch.objects.get()
    confirm = reverse(
        "stakeholders:import_confirm", kwargs={"org_slug": "riverside", "batch_token": batch.token}
    )
    done = client.post(confirm, follow=True)
    assert "Import done: 1 new" in done.text
    with scope(organization=world.org):
        assert list(Contact.objects.values_list("email", flat=True)) == ["maya@example.org"]
    assert "already confirmed or cancelled" in client.post(confirm, follow=True).text


def test_a_file_error_shows_next_to_the_file_field(world, login):
    response = upload(login(world.coordinator), "nothing useful here\n1,2\n")
    assert response.status_code == 422
    assert 'id="id_file_error"' in response.text and "Unknown column" in response.text


def test_cancel_through_the_page_saves_nothing(world, login):
    client = login(world.coordinator)
    location = upload(client, "first_name,sector\nMaya,health\n")["Location"]
    with scope(organization=world.org):
        batch = ImportBatch.objects.get()
    cancel = reverse(
        "stakeholders:import_cancel", kwargs={"org_slug": "riverside", "batch_token": batch.token}
    )
    assert "Nothing was saved" in client.post(cancel, follow=True).text
    assert "already confirmed or cancelled" in client.post(cancel, follow=True).text
    assert client.get(location).status_code == 200
    with scope(organization=world.org):
        assert not Contact.objects.exists()


def test_roundtable_and_partner_users_cannot_import(world, login):
    for user in (world.roundtable, world.partner):
        assert upload(login(user), "first_name,sector\nMaya,health\n").status_code == 403
    with scope(organization=world.org):
        assert not ImportBatch.objects.exists()


def test_previews_left_waiting_for_a_day_are_dropped(world):
    from datetime import timedelta

    from django.utils import timezone

    old = prepare(world, "first_name,sector\nMaya,health\n")
    with scope(organization=world.org):
        ImportBatch.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(days=2))
    fresh = prepare(world, "first_name,sector\nBen,health\n")
    with scope(organization=world.org):
        assert list(ImportBatch.objects.values_list("pk", flat=True)) == [fresh.pk]


def test_an_import_forgets_what_every_page_cache_kept_for_the_organization(world):
    """Bulk inserts send no post_save: the import itself gives every stamp a new value,
    so a kept home, figures or dashboard shows the new rows at once."""
    from initiatives.figures_cache import FIGURES
    from measures.chart_cache import MEASURES
    from plans.home_cache import HOMES

    made = []
    kinds = (HOMES, FIGURES, MEASURES)
    for kind in kinds:
        kind.get_or_make(world.org.pk, "probe", lambda: made.append(1))
    batch = prepare(world, "name,sector\nConfluence Credit Union,business\n", kind="partners")
    for kind in kinds:  # kept until the import
        kind.get_or_make(world.org.pk, "probe", lambda: made.append(2))
    assert made == [1, 1, 1]
    apply(world, batch)
    for kind in kinds:
        kind.get_or_make(world.org.pk, "probe", lambda: made.append(3))
    assert made == [1, 1, 1, 3, 3, 3]
