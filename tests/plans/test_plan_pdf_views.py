"""Asking for a PDF, watching its progress and downloading it."""

import io

import pytest
from django_scopes import scope
from pypdf import PdfReader

from plans.models import PlanPdf
from plans.pdf import content_hash
from plans.selectors.plan import version_content
from plans.services import plan as services

from ..initiatives.factories import InitiativeFactory, InitiativePartnerFactory
from ..stakeholders.factories import PartnerMembershipFactory
from .factories import draft_of, started_plan

BASE = "/o/riverside/plans"


@pytest.fixture
def draft(world):
    version = draft_of(started_plan(InitiativeFactory(organization=world.org, name="Early Years")))
    with scope(organization=world.org):
        services.section_update(version=version, key="change", body="Every child ready for school.")
    return version


def test_the_roundtable_prepares_and_downloads_the_draft_pdf(
    world, login, draft, django_capture_on_commit_callbacks
):
    client = login(world.roundtable)
    page = client.get(f"{BASE}/versions/{draft.pk}/").content.decode()
    assert "Prepare PDF" in page
    assert client.get(f"{BASE}/versions/{draft.pk}/pdf/download/").status_code == 404
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"{BASE}/versions/{draft.pk}/pdf/", HTTP_HX_REQUEST="true")
    # The task runs after the request's transaction commits: the answer polls.
    fragment = response.content.decode()
    assert fragment.lstrip().startswith('<div id="pdf-panel"')
    assert 'hx-trigger="every 1s"' in fragment
    poll = client.get(f"{BASE}/versions/{draft.pk}/pdf/", HTTP_HX_REQUEST="true").content.decode()
    assert "Download PDF" in poll and "every 1s" not in poll
    download = client.get(f"{BASE}/versions/{draft.pk}/pdf/download/")
    assert download["Content-Type"] == "application/pdf"
    assert 'filename="Early Years - plan v1.pdf"' in download["Content-Disposition"]
    reader = PdfReader(io.BytesIO(b"".join(download.streaming_content)))
    text = "\n".join(page.extract_text() for page in reader.pages)
    assert "Early Years" in text and "Every child ready for school." in text


def test_a_pending_pdf_is_polled_until_ready(world, login, draft):
    with scope(organization=world.org):
        key = content_hash(version_content(draft))
        PlanPdf.objects.create(organization=world.org, version=draft, content_hash=key)
    fragment = login(world.coordinator).get(
        f"{BASE}/versions/{draft.pk}/pdf/", HTTP_HX_REQUEST="true"
    )
    body = fragment.content.decode()
    assert 'hx-trigger="every 1s"' in body and "being prepared" in body


def test_a_partner_cannot_download_a_draft(world, login, draft):
    link = PartnerMembershipFactory(membership=world.membership(world.partner))
    with scope(organization=world.org):
        InitiativePartnerFactory(initiative=draft.plan.initiative, partner=link.partner)
    client = login(world.partner)
    assert client.post(f"{BASE}/versions/{draft.pk}/pdf/").status_code == 404
    assert client.get(f"{BASE}/versions/{draft.pk}/pdf/download/").status_code == 404
