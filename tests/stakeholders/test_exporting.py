import csv
import io

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django_scopes import scope

from backbone.spreadsheets import cell_safe
from stakeholders.importing import import_prepare
from stakeholders.models import ExportLog

from .factories import ContactFactory, PartnerFactory, TagFactory


def export(client, name, **params):
    response = client.get(reverse(f"stakeholders:{name}", kwargs={"org_slug": "riverside"}), params)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    assert response.streaming  # rows are read from the database as they are sent
    return list(csv.reader(io.StringIO(response.getvalue().decode("utf-8-sig"))))


def test_cells_that_a_spreadsheet_would_run_as_formulas_are_escaped():
    assert cell_safe('=HYPERLINK("http://evil")') == '\'=HYPERLINK("http://evil")'
    assert [cell_safe(v) for v in ("+1 613", "-5", "@SUM(A1)", "\tx")] == [
        "'+1 613",
        "'-5",
        "'@SUM(A1)",
        "'\tx",
    ]
    assert cell_safe("Aisha") == "Aisha" and cell_safe(None) == ""


def test_the_contacts_export_is_formula_safe_and_logged(world, login):
    partner = PartnerFactory(organization=world.org, name="=Food Bank")
    contact = ContactFactory(
        organization=world.org,
        first_name="=cmd|'/C calc'!A0",
        last_name="Chen",
        phone="+1 613 555 0100",
        partner=partner,
        email="a@example.org",
    )
    with scope(organization=world.org):
        contact.tags.add(TagFactory(organization=world.org, name="speaker"))
    ContactFactory(organization=world.other_org, first_name="Stranger")
    rows = export(login(world.coordinator), "export_contacts")
    assert rows[0][:3] == ["first_name", "last_name", "email"]
    assert len(rows) == 2
    assert rows[1][0] == "'=cmd|'/C calc'!A0"
    assert rows[1][3] == "'+1 613 555 0100"
    assert rows[1][4] == "'=Food Bank"
    assert rows[1][7] == "speaker"
    with scope(organization=world.org):
        log = ExportLog.objects.get()
    assert (log.kind, log.row_count, log.exported_by) == ("contacts", 1, world.coordinator)


def test_the_export_follows_the_lists_filters(world, login):
    ContactFactory(organization=world.org, first_name="Health", sector="health")
    ContactFactory(organization=world.org, first_name="Faith", sector="faith")
    rows = export(login(world.admin), "export_contacts", sector="faith")
    assert [r[0] for r in rows[1:]] == ["Faith"]


def test_an_exported_file_reimports_without_changes(world, login):
    partner = PartnerFactory(organization=world.org, name="Food Bank")
    ContactFactory(
        organization=world.org,
        first_name="Aisha",
        phone="+1 613 555 0100",
        partner=partner,
        email="a@example.org",
        sector="health",
        notes="-2 kids in program",
    )
    response = login(world.coordinator).get(
        reverse("stakeholders:export_contacts", kwargs={"org_slug": "riverside"})
    )
    with scope(organization=world.org):
        batch = import_prepare(
            organization=world.org,
            kind="contacts",
            filename="export.csv",
            raw=response.getvalue(),
            created_by=world.coordinator,
        )
    assert [row["outcome"] for row in batch.rows] == ["unchanged"]


def test_the_partners_export_is_logged(world, login):
    PartnerFactory(organization=world.org, name="Library")
    PartnerFactory(organization=world.org, name="School Board")
    rows = export(login(world.coordinator), "export_partners")
    assert [r[0] for r in rows[1:]] == ["Library", "School Board"]
    with scope(organization=world.org):
        assert ExportLog.objects.get().row_count == 2


def test_only_staff_may_export(world, login):
    for user in (world.roundtable, world.partner):
        client = login(user)
        assert (
            client.get(
                reverse("stakeholders:export_contacts", kwargs={"org_slug": "riverside"})
            ).status_code
            == 403
        )
        assert (
            client.get(
                reverse("stakeholders:export_partners", kwargs={"org_slug": "riverside"})
            ).status_code
            == 403
        )
    with scope(organization=world.org):
        assert not ExportLog.objects.exists()


def test_the_import_page_lists_recent_exports(world, login):
    client = login(world.coordinator)
    export(client, "export_partners")
    page = client.get(reverse("stakeholders:import_start", kwargs={"org_slug": "riverside"})).text
    assert "Recent exports" in page and "0 rows" in page


def test_the_export_link_follows_filters_applied_in_place(world, login):
    ContactFactory(organization=world.org, sector="faith")
    response = login(world.coordinator).get(
        reverse("stakeholders:index", kwargs={"org_slug": "riverside"}),
        {"sector": "faith"},
        HTTP_HX_REQUEST="true",
    )
    assert 'href="/o/riverside/stakeholders/export/contacts.csv?sector=faith"' in response.text
    assert "Export these to CSV" in response.text


def test_the_excel_export_holds_the_same_rows_as_text_and_is_logged(world, login):
    from openpyxl import load_workbook

    ContactFactory(
        organization=world.org,
        first_name="=1+1",
        last_name="Chen",
        sector="health",
        email="c@example.org",
    )
    ContactFactory(
        organization=world.org, first_name="Faith", sector="faith", email="f@example.org"
    )
    ContactFactory(organization=world.other_org, first_name="Stranger")
    client = login(world.coordinator)
    response = client.get(
        reverse("stakeholders:export_contacts_xlsx", kwargs={"org_slug": "riverside"}),
        {"sector": "health"},
    )
    assert (
        response["Content-Type"]
        == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    assert response["Content-Disposition"].endswith('.xlsx"')
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert rows[0][:3] == ["first_name", "last_name", "email"]
    assert len(rows) == 2  # the filter applies, the other organization never shows
    assert rows[1][0] == "'=1+1" and sheet.cell(row=2, column=1).data_type == "s"
    with scope(organization=world.org):
        log = ExportLog.objects.get()
    assert (log.kind, log.row_count) == ("contacts", 1)
    for user in (world.roundtable, world.partner):
        assert (
            login(user)
            .get(reverse("stakeholders:export_partners_xlsx", kwargs={"org_slug": "riverside"}))
            .status_code
            == 403
        )


def test_the_contacts_export_keeps_a_fixed_number_of_queries_however_long(world, login):
    client = login(world.coordinator)
    tags = [TagFactory(organization=world.org, name=f"tag{i}") for i in range(3)]
    counts = []
    for size in (2, 40):
        for _ in range(size):
            contact = ContactFactory(
                organization=world.org, partner=PartnerFactory(organization=world.org)
            )
            with scope(organization=world.org):
                contact.tags.add(*tags)
        with CaptureQueriesContext(connection) as queries:
            rows = export(client, "export_contacts")
        counts.append(len(queries))
    assert len(rows) == 1 + 2 + 40
    assert {row[7] for row in rows[1:]} == {"tag0, tag1, tag2"}
    assert counts[0] == counts[1]
