"""The agreements registry's pages: list with filters in a fixed number of queries, detail,
create with a document, stale-safe edit, end, the document, and who sees what."""

import datetime

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django_scopes import scope

from measures.chart_cache import measures_bump
from measures.models import Agreement, AgreementKind, AgreementStatus, SharingPermission

from ..backbone.stale_saves import EditCase, check_stale_save_refused
from ..initiatives.factories import InitiativeFactory
from ..stakeholders.factories import PartnerFactory
from .factories import AgreementFactory, IndicatorFactory

BASE = "/o/riverside/measures/agreements/"


def an_agreement(measures, **kwargs) -> Agreement:
    return AgreementFactory(
        initiative=measures.initiative,
        parties=kwargs.pop("parties", [measures.food_bank]),
        indicators=kwargs.pop("indicators", [measures.indicator]),
        **kwargs,
    )


def test_the_list_filters_by_kind_status_and_initiative(world, login, measures):
    an_agreement(measures, title="Food bank data sharing")
    an_agreement(measures, title="Roundtable terms", kind=AgreementKind.TERMS, parties=[])
    an_agreement(
        measures, title="Old MOU", kind=AgreementKind.MOU, expires_on=datetime.date(2025, 1, 1)
    )
    AgreementFactory(initiative=InitiativeFactory(organization=world.org), title="Elsewhere")
    client = login(world.coordinator)
    page = client.get(BASE).content.decode()
    assert all(t in page for t in ("Food bank data sharing", "Roundtable terms", "Old MOU"))
    by_kind = client.get(BASE, {"kind": "terms"}).content.decode()
    assert "Roundtable terms" in by_kind and "Food bank data sharing" not in by_kind
    expired = client.get(BASE, {"status": "expired"}).content.decode()
    assert "Old MOU" in expired and "Food bank data sharing" not in expired
    signed = client.get(BASE, {"status": "signed"}).content.decode()
    assert "Old MOU" not in signed and "Food bank data sharing" in signed
    mine = client.get(BASE, {"initiative": measures.initiative.pk}).content.decode()
    assert "Elsewhere" not in mine and "Old MOU" in mine


def test_the_list_takes_the_same_number_of_queries_for_few_and_many(world, login, measures):
    client = login(world.coordinator)
    counts = []
    for size in (1, 12):
        for _ in range(size):
            an_agreement(measures, parties=[measures.food_bank, measures.other])
        client.get(BASE)
        measures_bump(world.org.pk)  # the page drawn, not the one kept (measures.panel_cache)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(BASE).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1], counts


def test_a_partner_user_sees_only_the_agreements_its_partner_is_party_to(world, login, measures):
    ours = an_agreement(measures, title="Ours", parties=[measures.food_bank])
    theirs = an_agreement(measures, title="Theirs", parties=[measures.other])
    client = login(world.partner)
    page = client.get(BASE).content.decode()
    assert "Ours" in page and "Theirs" not in page
    assert client.get(f"{BASE}{ours.pk}/").status_code == 200
    assert client.get(f"{BASE}{theirs.pk}/").status_code == 404
    # Read only.
    assert client.get(f"{BASE}{ours.pk}/edit/").status_code == 403
    assert client.post(f"{BASE}{ours.pk}/end/").status_code == 403
    assert client.get(f"{BASE}new/").status_code == 403


def test_a_coordinator_adds_a_data_sharing_agreement_with_its_document(world, login, measures):
    client = login(world.coordinator)
    document = SimpleUploadedFile("dsa.pdf", b"%PDF-1.4 signed", content_type="application/pdf")
    response = client.post(
        f"{BASE}new/",
        {
            "initiative": measures.initiative.pk,
            "kind": AgreementKind.DATA_SHARING,
            "title": "Food bank data sharing 2026",
            "parties": [measures.food_bank.pk],
            "status": AgreementStatus.SIGNED,
            "signed_on": "2026-02-01",
            "expires_on": "2027-01-31",
            "document": document,
            "indicators": [measures.indicator.pk],
            "permission": SharingPermission.PER_PARTNER,
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    with scope(organization=world.org):
        agreement = Agreement.objects.get(title="Food bank data sharing 2026")
        assert list(agreement.parties.all()) == [measures.food_bank]
        assert list(agreement.indicators.all()) == [measures.indicator]
    download = client.get(f"{BASE}{agreement.pk}/document/")
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == b"%PDF-1.4 signed"
    assert "private" in download["Cache-Control"]


def test_the_form_refuses_what_does_not_hold_together(world, login, measures):
    other_indicator_initiative = InitiativeFactory(organization=world.org)
    stranger = IndicatorFactory(initiative=other_indicator_initiative, name="Trees planted")
    response = login(world.coordinator).post(
        f"{BASE}new/",
        {
            "initiative": measures.initiative.pk,
            "kind": AgreementKind.DATA_SHARING,
            "title": "Muddled",
            "status": AgreementStatus.SIGNED,
            "signed_on": "2026-02-01",
            "expires_on": "2025-01-31",
            "indicators": [stranger.pk],
            "permission": SharingPermission.PER_PARTNER,
        },
    )
    assert response.status_code == 422
    page = response.content.decode()
    assert "Trees planted are not" in page
    assert "It cannot expire before it is signed." in page


def test_an_edit_over_someone_elses_is_refused(world, login, measures):
    agreement = an_agreement(measures, title="Food bank data sharing", notes="")
    page = f"{BASE}{agreement.pk}/edit/"
    fields = {
        "initiative": measures.initiative.pk,
        "kind": agreement.kind,
        "status": agreement.status,
        "signed_on": "2020-01-01",
        "indicators": [measures.indicator.pk],
        "parties": [measures.food_bank.pk],
        "permission": agreement.permission,
        "notes": "",
    }
    case = EditCase(agreement, page, page, "title", "Their title", "My title", fields)
    check_stale_save_refused(world, login, case)


def test_ending_an_agreement_records_who_when_and_why_and_stops_it_counting(world, login, measures):
    agreement = an_agreement(measures)
    client = login(world.coordinator)
    assert client.get(f"{BASE}{agreement.pk}/end/").status_code == 200
    response = client.post(f"{BASE}{agreement.pk}/end/", {"reason": "The partner withdrew."})
    assert response.status_code == 302
    with scope(organization=world.org):
        agreement.refresh_from_db()
    assert agreement.status == AgreementStatus.ENDED
    assert agreement.ended_by == world.coordinator and agreement.end_reason
    assert agreement.ended_on == timezone.localdate(timezone=world.org.tzinfo)
    page = client.get(f"{BASE}{agreement.pk}/").content.decode()
    assert "The partner withdrew." in page and "End this agreement" not in page
    # Ending twice says so.
    again = client.post(f"{BASE}{agreement.pk}/end/", {"reason": ""})
    assert again.status_code == 422 and "already ended" in again.content.decode()


def test_a_missing_document_is_a_404(world, login, measures):
    agreement = an_agreement(measures)
    assert login(world.coordinator).get(f"{BASE}{agreement.pk}/document/").status_code == 404


@pytest.mark.parametrize("role", ["roundtable", "admin"])
def test_readers_see_the_registry(world, login, measures, role):
    agreement = an_agreement(measures, document=ContentFile(b"x", name="mou.pdf"))
    client = login(getattr(world, role))
    assert agreement.title in client.get(BASE).content.decode()
    assert client.get(f"{BASE}{agreement.pk}/document/").status_code == 200


def test_a_partner_not_in_the_registry_has_no_agreement(world, login, measures):
    PartnerFactory(organization=world.org)
    assert "No agreement matches." in login(world.partner).get(BASE).content.decode()
