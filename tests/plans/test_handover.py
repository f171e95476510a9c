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
    ReflectionNoteFactory,
    RiskFactory,
    TeamFactory,
)
from ..measures.factories import AgreementFactory
from ..stakeholders.factories import CapacityAssessmentFactory, ContactFactory, PartnerFactory
from .factories import ReviewAnswerFactory, ReviewFactory, ratings


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


def test_agreements_reflections_and_the_backbone_review_join_the_report(world):
    initiative = _initiative(world)
    AgreementFactory(initiative=initiative, title="Data-sharing with Public Health")
    ReflectionNoteFactory(initiative=initiative, text="Partners meet too rarely")
    review = ReviewFactory(
        organization=world.org, year=2025, status="closed", response="We will meet monthly."
    )
    for _n in range(3):
        ReviewAnswerFactory(review=review, ratings=ratings(4, 4, 3, 3, 2, 5))
    with scope(organization=world.org):
        html = handover_html(initiative)
    for title in ("Agreements", "Reflections", "How partners rate the backbone"):
        assert f"<h2>{title}</h2>" in html
    assert "Data-sharing with Public Health" in html
    assert "Partners meet too rarely" in html
    assert "We will meet monthly." in html and "4.0" in html and "2.0" in html


def test_sections_with_nothing_to_say_are_left_out(world):
    initiative = _initiative(world)
    with scope(organization=world.org):
        html = handover_html(initiative)
    for title in ("Agreements", "Reflections", "How partners rate the backbone"):
        assert f"<h2>{title}</h2>" not in html
