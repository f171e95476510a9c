"""An archived initiative's measures stay readable and are read-only: every write answers 403."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from django_scopes import scopes_disabled

from measures.models import DataPoint, GlossaryTerm, Indicator

from ..initiatives.factories import InitiativeFactory
from ..stakeholders.factories import ImportBatchFactory
from .factories import DataPointFactory

Status = DataPoint.Status


def url(name, world, **kwargs):
    return reverse(f"measures:{name}", kwargs={"org_slug": world.org.slug, **kwargs})


@pytest.fixture
def archived(measures):
    measures.initiative.archived_at = timezone.now()
    measures.initiative.save(update_fields=["archived_at"])
    return measures


@pytest.mark.parametrize("user", ["coordinator", "roundtable", "partner"])
def test_the_dashboard_of_an_archived_initiative_stays_readable(world, archived, login, user):
    response = login(getattr(world, user)).get(
        url("dashboard", world, initiative_id=archived.initiative.pk)
    )
    assert response.status_code == 200
    assert archived.indicator.name in response.content.decode()


def test_an_archived_initiatives_indicator_chart_export_and_values_stay_readable(
    world, archived, login
):
    point = DataPointFactory(
        indicator=archived.indicator, partner=archived.food_bank, status=Status.APPROVED
    )
    client = login(world.roundtable)
    detail = client.get(url("indicator_detail", world, indicator_id=archived.indicator.pk))
    assert detail.status_code == 200
    assert archived.indicator.definition in detail.content.decode()
    chart = client.get(url("indicator_chart", world, indicator_id=archived.indicator.pk))
    assert chart["Content-Type"] == "image/svg+xml"
    export = client.get(url("export", world, initiative_id=archived.initiative.pk))
    assert "Riverside Food Bank" in export.getvalue().decode()
    assert client.get(url("data_point", world, data_point_id=point.pk)).status_code == 200


def test_a_partner_cannot_enter_values_for_an_archived_initiative(world, archived, login):
    response = login(world.partner).post(
        url("entry", world, initiative_id=archived.initiative.pk) + "?period=2027-Q1",
        {"period": "2027-Q1", f"v-{archived.indicator.pk}-0": "12", "action": "submit"},
    )
    assert response.status_code == 403
    with scopes_disabled():
        assert not DataPoint.objects.exists()


def test_the_backbone_cannot_change_an_archived_initiatives_indicators(world, archived, login):
    client = login(world.coordinator)
    indicator = archived.indicator
    writes = [
        url("indicator_create", world, initiative_id=archived.initiative.pk),
        url("glossary_add", world, initiative_id=archived.initiative.pk),
        url("indicator_edit", world, indicator_id=indicator.pk),
        url("indicator_requests", world, indicator_id=indicator.pk),
        url("indicator_story", world, indicator_id=indicator.pk),
        url("indicator_resolve", world, indicator_id=indicator.pk),
    ]
    data = {"name": "Renamed", "term": "LIM", "meaning": "Low income", "period": "2027-Q1"}
    for target in writes:
        assert client.post(target, data).status_code == 403, target
    with scopes_disabled():
        assert Indicator.objects.get().name == indicator.name
        assert not GlossaryTerm.objects.exists()
        assert indicator.stories.count() == 0


def test_nothing_is_copied_into_an_archived_initiative(world, measures, login):
    old = InitiativeFactory(organization=world.org, archived_at=timezone.now())
    response = login(world.coordinator).post(
        url("indicator_copy", world, indicator_id=measures.indicator.pk), {"initiative": old.pk}
    )
    assert response.status_code == 403
    with scopes_disabled():
        assert not Indicator.objects.filter(initiative=old).exists()


def test_an_archived_initiatives_values_are_neither_approved_nor_returned(world, archived, login):
    point = DataPointFactory(indicator=archived.indicator, partner=archived.food_bank)
    client = login(world.coordinator)
    for action in ("approve", "return"):
        response = client.post(
            url("approvals", world), {"points": [point.pk], "action": action, "reason": "No"}
        )
        assert response.status_code == 403
    point.refresh_from_db()
    assert point.status == Status.SUBMITTED


def test_no_values_are_imported_into_an_archived_initiative(world, archived, login):
    client = login(world.coordinator)
    file = SimpleUploadedFile(
        "values.csv",
        b"indicator,period,partner,disaggregation,value\n"
        b"Households using the food bank,2027-Q1,Riverside Food Bank,,3400\n",
    )
    start = url("import", world, initiative_id=archived.initiative.pk)
    assert client.post(start, {"file": file}).status_code == 403
    batch = ImportBatchFactory(
        organization=world.org,
        kind="values",
        destination_id=archived.initiative.pk,
        rows=[
            {
                "line": 2,
                "parsed": {
                    "indicator": "Households using the food bank",
                    "period": "2027-Q1",
                    "partner": "Riverside Food Bank",
                    "disaggregation": "",
                    "value": "3400",
                },
            }
        ],
    )
    kwargs = {"initiative_id": archived.initiative.pk, "batch_token": batch.token}
    assert client.get(url("import_preview", world, **kwargs)).status_code == 200
    assert client.post(url("import_confirm", world, **kwargs)).status_code == 403
    with scopes_disabled():
        assert not DataPoint.objects.exists()
