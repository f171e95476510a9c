import csv
from datetime import timedelta
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from django_scopes import scopes_disabled

from backbone.spreadsheets import MAX_ROWS
from measures.models import DataPoint
from stakeholders.importing import PREVIEW_ROWS
from stakeholders.models import ImportBatch

from ..initiatives.factories import InitiativeFactory
from ..stakeholders.factories import ImportBatchFactory
from .factories import DataPointFactory


def import_url(world, measures):
    return reverse(
        "measures:import",
        kwargs={"org_slug": world.org.slug, "initiative_id": measures.initiative.pk},
    )


def upload(client, world, measures, text):
    """Upload a file; a readable one leads to its preview."""
    file = SimpleUploadedFile("values.csv", text.encode(), content_type="text/csv")
    return client.post(import_url(world, measures), {"file": file}, follow=True)


def confirm_url(world, measures):
    """The confirmation of the latest preview (the one the page's button posts to)."""
    with scopes_disabled():
        batch = ImportBatch.objects.latest("created_at")
    return reverse(
        "measures:import_confirm",
        kwargs={
            "org_slug": world.org.slug,
            "initiative_id": measures.initiative.pk,
            "batch_token": batch.token,
        },
    )


HEADER = "indicator,period,partner,disaggregation,value\n"


def test_a_good_file_is_previewed_then_imported_into_the_approval_queue(world, measures, login):
    client = login(world.coordinator)
    text = HEADER + (
        "Households using the food bank,2026-Q1,Riverside Food Bank,,3400\n"
        "households using the food bank,2026-Q2,City of Riverside Social Services,,3350\n"
    )
    preview = upload(client, world, measures, text)
    assert "Import 2 values" in preview.content.decode()
    with scopes_disabled():
        assert not DataPoint.objects.exists()  # nothing saved by the preview
    response = client.post(confirm_url(world, measures), {"confirm": "1"})
    assert response.status_code == 302
    with scopes_disabled():
        rows = list(DataPoint.objects.order_by("period").values_list("period", "value", "status"))
    assert rows == [
        ("2026-Q1", Decimal("3400"), "submitted"),
        ("2026-Q2", Decimal("3350"), "submitted"),
    ]


def test_bad_rows_are_listed_and_nothing_can_be_imported(world, measures, login):
    client = login(world.coordinator)
    text = HEADER + (
        "Households using the food bank,2026-Q5,Riverside Food Bank,,3400\n"
        "Unknown indicator,2026-Q1,Riverside Food Bank,,1\n"
        "Households using the food bank,2026-Q1,Nobody Inc,,lots\n"
    )
    page = upload(client, world, measures, text).content.decode()
    assert "Not a reporting period of this indicator." in page
    assert "No indicator of this initiative is called that." in page
    assert "No partner is called that." in page
    assert "Enter a number, like 42 or 12.5." in page
    assert 'name="confirm"' not in page
    client.post(confirm_url(world, measures), {"confirm": "1"})
    with scopes_disabled():
        assert not DataPoint.objects.exists()


def test_an_import_never_overwrites_approved_data(world, measures, login):
    approved = DataPointFactory(
        indicator=measures.indicator,
        partner=measures.food_bank,
        period="2026-Q1",
        value=Decimal("10"),
        status="approved",
    )
    client = login(world.coordinator)
    upload(
        client,
        world,
        measures,
        HEADER
        + (
            "Households using the food bank,2026-Q2,Riverside Food Bank,,12\n"
            "Households using the food bank,2026-Q1,Riverside Food Bank,,99\n"
        ),
    )
    response = client.post(confirm_url(world, measures), {"confirm": "1"}, follow=True)
    assert "approved already" in response.content.decode()
    approved.refresh_from_db()
    assert approved.value == Decimal("10")
    with scopes_disabled():
        assert DataPoint.objects.count() == 1  # the good row before it was rolled back too


def test_a_file_without_the_columns_gets_a_message_next_to_the_field(world, measures, login):
    response = upload(login(world.coordinator), world, measures, "name,amount\nx,1\n")
    assert response.status_code == 422
    assert (
        "The file needs the columns: indicator, period, partner, disaggregation, value."
        in response.content.decode()
    )


def test_partners_cannot_import(world, measures, login):
    assert login(world.partner).get(import_url(world, measures)).status_code == 403


GOOD = HEADER + "Households using the food bank,2026-Q1,Riverside Food Bank,,3400\n"


def latest_batch():
    with scopes_disabled():
        return ImportBatch.objects.latest("created_at")


def test_the_preview_is_kept_until_confirmed_and_survives_a_refresh(world, measures, login):
    client = login(world.coordinator)
    first = upload(client, world, measures, GOOD)
    assert first.redirect_chain[-1][0].endswith(f"/import/{latest_batch().token}/")
    again = client.get(first.redirect_chain[-1][0])
    assert "Import 1 value" in again.content.decode()
    assert latest_batch().kind == "values"


def test_a_cancelled_preview_saves_nothing_and_cannot_be_confirmed(world, measures, login):
    client = login(world.coordinator)
    upload(client, world, measures, GOOD)
    batch = latest_batch()
    kwargs = {
        "org_slug": world.org.slug,
        "initiative_id": measures.initiative.pk,
        "batch_token": batch.token,
    }
    page = client.post(reverse("measures:import_cancel", kwargs=kwargs), follow=True)
    assert "Import cancelled. Nothing was saved." in page.content.decode()
    page = client.post(reverse("measures:import_confirm", kwargs=kwargs), follow=True)
    assert "This import was already confirmed or cancelled." in page.content.decode()
    with scopes_disabled():
        assert not DataPoint.objects.exists()


def test_an_expired_preview_asks_for_the_file_again(world, measures, login):
    client = login(world.coordinator)
    upload(client, world, measures, GOOD)
    with scopes_disabled():
        ImportBatch.objects.update(created_at=timezone.now() - timedelta(days=2))
    page = client.post(confirm_url(world, measures), follow=True)
    assert "Upload the file again: the preview has expired." in page.content.decode()
    with scopes_disabled():
        assert not DataPoint.objects.exists()


def test_a_preview_opens_only_under_its_own_kind_and_initiative(world, measures, login):
    client = login(world.coordinator)
    registry = ImportBatchFactory(organization=world.org)
    values_of = {"org_slug": world.org.slug, "initiative_id": measures.initiative.pk}
    assert (
        client.get(
            reverse("measures:import_preview", kwargs={**values_of, "batch_token": registry.token})
        ).status_code
        == 404
    )
    upload(client, world, measures, GOOD)
    values = latest_batch()
    other = InitiativeFactory(organization=world.org)
    assert (
        client.get(
            reverse(
                "measures:import_preview",
                kwargs={**values_of, "initiative_id": other.pk, "batch_token": values.token},
            )
        ).status_code
        == 404
    )
    registry_preview = reverse(
        "stakeholders:import_preview",
        kwargs={"org_slug": world.org.slug, "batch_token": values.token},
    )
    assert client.get(registry_preview).status_code == 404


# Files that are too long, too wide or not text (issue 11, item 5) --------------


def test_a_row_with_more_cells_than_the_header_is_a_row_error(world, measures, login):
    text = HEADER + "Households using the food bank,2027-Q1,Riverside Food Bank,,3400,oops\n"
    response = upload(login(world.coordinator), world, measures, text)
    assert response.status_code == 200
    assert "This row has more cells than the file has columns" in response.content.decode()
    assert 'name="confirm"' not in response.content.decode()


def test_a_cell_over_the_csv_field_limit_is_a_file_error(world, measures, login):
    huge = "9" * (csv.field_size_limit() + 1)
    text = HEADER + f'Households using the food bank,2027-Q1,Riverside Food Bank,,"{huge}"\n'
    response = upload(login(world.coordinator), world, measures, text)
    assert response.status_code == 422
    assert "Line 2 has a cell longer than" in response.content.decode()


def test_a_file_over_the_row_cap_is_a_file_error_the_help_text_announced(world, measures, login):
    client = login(world.coordinator)
    assert f"At most {MAX_ROWS} rows." in client.get(import_url(world, measures)).content.decode()
    text = HEADER + "Households using the food bank,2027-Q1,Riverside Food Bank,,1\n" * (
        MAX_ROWS + 1
    )
    response = upload(client, world, measures, text)
    assert response.status_code == 422
    assert f"more than {MAX_ROWS} rows" in response.content.decode()


def test_a_long_preview_lists_a_bounded_number_of_rows_problems_first(world, measures, login):
    client = login(world.coordinator)
    rows = [
        f"Households using the food bank,{2030 + i // 4}-Q{i % 4 + 1},Riverside Food Bank,,{i}\n"
        for i in range(PREVIEW_ROWS + 100)
    ]
    rows[-1] = "Households using the food bank,2099-Q9,Riverside Food Bank,,1\n"
    page = upload(client, world, measures, HEADER + "".join(rows)).content.decode()
    assert page.count("<tr><td>") == PREVIEW_ROWS
    assert "100 more rows are not listed here" in page
    assert "Not a reporting period of this indicator." in page  # the last row's problem
