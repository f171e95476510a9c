from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django_scopes import scopes_disabled

from measures.models import DataPoint
from stakeholders.models import ImportBatch

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
        "Households using the food bank,2027-Q1,Riverside Food Bank,,3400\n"
        "households using the food bank,2027-Q2,City of Riverside Social Services,,3350\n"
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
        ("2027-Q1", Decimal("3400"), "submitted"),
        ("2027-Q2", Decimal("3350"), "submitted"),
    ]


def test_bad_rows_are_listed_and_nothing_can_be_imported(world, measures, login):
    client = login(world.coordinator)
    text = HEADER + (
        "Households using the food bank,2027-Q5,Riverside Food Bank,,3400\n"
        "Unknown indicator,2027-Q1,Riverside Food Bank,,1\n"
        "Households using the food bank,2027-Q1,Nobody Inc,,lots\n"
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
            "Households using the food bank,2027-Q2,Riverside Food Bank,,12\n"
            "Households using the food bank,2027-Q1,Riverside Food Bank,,99\n"
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
