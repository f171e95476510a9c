"""The handover report: made by a job as a tagged PDF of where the initiative stands,
its governance, indicators and data flows, risks and actions, people and partner capacity;
its sections are a registry others add to; readers only."""

import io

from django.urls import reverse
from django_scopes import scope, scopes_disabled
from pypdf import PdfReader

from plans import handover
from plans.handover import Part, handover_html, handover_section
from plans.models import HandoverReport

from ..initiatives.factories import (
    InitiativeFactory,
    InitiativePartnerFactory,
    RiskFactory,
    TeamFactory,
)
from ..stakeholders.factories import CapacityAssessmentFactory, ContactFactory, PartnerFactory


def url(world, name, **kwargs):
    return reverse(f"plans:{name}", kwargs={"org_slug": world.org.slug, **kwargs})


def _initiative(world):
    initiative = InitiativeFactory(organization=world.org, name="Early Years Riverside")
    partner = PartnerFactory(organization=world.org, name="Riverside Public Health")
    InitiativePartnerFactory(initiative=initiative, partner=partner)
    CapacityAssessmentFactory(organization=world.org, partner=partner, year=2026, leadership=4)
    RiskFactory(initiative=initiative, description="Funding ends in 2027")
    TeamFactory(initiative=initiative, name="Data team")
    return initiative


def test_the_report_holds_every_section_in_order(world):
    initiative = _initiative(world)
    with scope(organization=world.org):
        html = handover_html(initiative)
    order = [
        "Where it stands",
        "Governance",
        "Shared measurement",
        "Open risks and action items",
        "Key contacts and relationships",
        "Partner capacity",
    ]
    positions = [html.index(f"<h2>{title}</h2>") for title in order]
    assert positions == sorted(positions)
    assert "Funding ends in 2027" in html and "Data team" in html
    assert "Riverside Public Health" in html


def test_another_feature_adds_its_section_by_registering_it(world, monkeypatch):
    monkeypatch.setattr(handover, "HANDOVER_SECTIONS", list(handover.HANDOVER_SECTIONS))
    initiative = _initiative(world)

    @handover_section(35, "Agreements")
    def agreements(initiative):
        return Part("agreements", "Agreements", ["The MOU expires in March."])

    with scope(organization=world.org):
        html = handover_html(initiative)
    measurement, mou = html.index("<h2>Shared measurement</h2>"), html.index("The MOU expires")
    assert measurement < html.index("<h2>Agreements</h2>") < mou
    assert "Agreements" in handover.handover_titles()
    assert mou < html.index("<h2>Open risks and action items</h2>")


def test_staff_make_the_pdf_in_a_job_and_readers_download_it(
    world, login, django_capture_on_commit_callbacks
):
    initiative = _initiative(world)
    ContactFactory(organization=world.org)
    page = url(world, "handover", initiative_id=initiative.pk)
    assert "Partner capacity" in login(world.roundtable).get(page).text
    with django_capture_on_commit_callbacks(execute=True):
        assert login(world.coordinator).post(page).status_code == 302
    with scopes_disabled():
        report = HandoverReport.objects.get(initiative=initiative)
    assert report.status == HandoverReport.Status.READY and report.pages >= 2
    download = url(world, "handover_download", report_id=report.pk)
    assert download in login(world.roundtable).get(page).text
    response = login(world.roundtable).get(download)
    pdf = PdfReader(io.BytesIO(b"".join(response.streaming_content)))
    text = "".join(p.extract_text() for p in pdf.pages)
    assert "Early Years Riverside" in text and "Funding ends in 2027" in text
    assert pdf.trailer["/Root"].get("/StructTreeRoot") is not None  # tagged


def test_partners_may_not_read_it_and_roundtable_may_not_make_it(world, login):
    initiative = _initiative(world)
    page = url(world, "handover", initiative_id=initiative.pk)
    assert login(world.partner).get(page).status_code == 403
    assert login(world.roundtable).post(page).status_code == 403
    with scopes_disabled():
        assert not HandoverReport.objects.exists()
