"""PDFs checked for real: pypdf reads them back."""

import datetime
import io

import pytest
from django_scopes import scope
from pypdf import PdfReader

from plans import sections
from plans.models import PlanPdf, SectionKey
from plans.pdf import LocalOnlyFetcher, plan_pdf_bytes
from plans.selectors.plan import version_content
from plans.services import plan as services

from ..initiatives.factories import InitiativeFactory
from .factories import (
    BudgetLineFactory,
    GoalFactory,
    StrategyFactory,
    adopt,
    draft_of,
    request_pdf,
    started_plan,
)

TEST_SVG = (
    '<svg xmlns="http://www.w3.org/2000/svg" width="300" height="120" viewBox="0 0 300 120">'
    '<rect x="10" y="20" width="80" height="90" fill="#1f5f5b"/>'
    '<text x="10" y="15" font-family="DejaVu Sans" font-size="12">Families in poverty 4,210</text>'
    "</svg>"
)


def text_of(data: bytes) -> tuple[PdfReader, str]:
    reader = PdfReader(io.BytesIO(data))
    return reader, "\n".join(page.extract_text() for page in reader.pages)


@pytest.fixture
def rendered(django_capture_on_commit_callbacks):
    """`rendered(version)` asks for the version's PDF, runs the rendering job the commit
    sends, and returns the PDF as it is then."""

    def render(version):
        with django_capture_on_commit_callbacks(execute=True):
            pdf = request_pdf(version)
        pdf.refresh_from_db()
        return pdf

    return render


@pytest.fixture
def draft(world):
    initiative = InitiativeFactory(organization=world.org, name="Poverty Reduction Roundtable")
    version = draft_of(started_plan(initiative))
    goal = GoalFactory(version=version, title="Every family has a living income")
    StrategyFactory(goal=goal, title="Living wage employers")
    for year in (2027, 2028):
        BudgetLineFactory(version=version, item=f"Community conversations {year}", year=year)
    with scope(organization=world.org):
        services.section_update(
            version=version,
            key=SectionKey.EXECUTIVE_SUMMARY,
            body="Riverside agrees to **halve** poverty by 2035.",
        )
    return version


def test_the_plan_pdf_is_a_real_pdf_with_cover_contents_and_sections(world, draft):
    with scope(organization=world.org):
        data = plan_pdf_bytes(version_content(draft))
    assert data.startswith(b"%PDF-")
    reader, text = text_of(data)
    # Cover, contents and nine sections each on their own page.
    assert 11 <= len(reader.pages) <= 16
    assert "Poverty Reduction Roundtable" in text
    assert "Riverside Collective" in text
    assert "halve poverty by 2035" in text
    assert "Living wage employers" in text
    assert "Page 2 of" in text
    assert "DRAFT — not adopted" in reader.pages[2].extract_text()  # every page but the cover
    # The contents give page numbers (target-counter): "Budget" then its page.
    contents = reader.pages[1].extract_text()
    assert "Executive summary" in contents and "Budget" in contents
    assert any(ch.isdigit() for ch in contents.split("Budget", 1)[1])


def test_an_svg_chart_from_a_section_renderer_reaches_the_pdf(world, draft, monkeypatch):
    monkeypatch.setitem(
        sections.RENDERERS, SectionKey.NOW, [lambda context: f"<figure>{TEST_SVG}</figure>"]
    )
    with scope(organization=world.org):
        content = version_content(draft)
        rendered = {s.key: s for s in sections.render_sections(content, for_pdf=True)}
        assert "<svg" in rendered[SectionKey.NOW].data_html
        data = plan_pdf_bytes(content)
    _reader, text = text_of(data)
    assert "Families in poverty 4,210" in text


def test_the_pdf_fetches_nothing_from_the_network():
    fetcher = LocalOnlyFetcher()
    for url in ["https://fonts.googleapis.com/css?family=Roboto", "http://127.0.0.1/x.png",
                "file:///etc/passwd"]:  # fmt: skip
        with pytest.raises(ValueError, match="fetch nothing"):
            fetcher.fetch(url)
    assert fetcher.fetch("data:text/plain,hi").read() == b"hi"


def test_a_pdf_request_renders_once_and_a_changed_draft_renders_again(
    world, draft, rendered, django_capture_on_commit_callbacks
):
    with scope(organization=world.org):
        first = rendered(draft)
        assert first.status == PlanPdf.Status.READY and first.pages >= 11
        with first.file.open("rb") as handle:
            assert handle.read(5) == b"%PDF-"
        with django_capture_on_commit_callbacks(execute=True) as callbacks:
            again = request_pdf(draft)
        assert again.pk == first.pk and callbacks == []  # cached: nothing rendered
        services.section_update(version=draft, key=SectionKey.BUDGET, body="New budget notes")
        assert services.pdf_current(draft) is None  # the cached PDF is stale now
        changed = rendered(draft)
        assert changed.pk != first.pk and changed.status == PlanPdf.Status.READY
        _reader, text = text_of(changed.file.open("rb").read())
        assert "New budget notes" in text


def test_an_adopted_versions_pdf_is_rendered_once_and_kept(
    world, draft, django_capture_on_commit_callbacks
):
    adopt(draft, world.coordinator, datetime.date(2027, 5, 1))
    with scope(organization=world.org):
        with django_capture_on_commit_callbacks(execute=True):
            pdf = request_pdf(draft)
        with django_capture_on_commit_callbacks(execute=True) as callbacks:
            assert request_pdf(draft).pk == pdf.pk
        assert callbacks == []
        pdf.refresh_from_db()
        _reader, text = text_of(pdf.file.open("rb").read())
    assert "adopted" in text and "Leadership roundtable" in text
    assert "DRAFT" not in text


def test_a_failed_rendering_is_recorded_and_can_be_asked_again(
    world, draft, rendered, monkeypatch, django_capture_on_commit_callbacks
):
    def broken(content):
        raise RuntimeError("no fonts")

    monkeypatch.setattr(services, "plan_pdf_bytes", broken)
    with scope(organization=world.org):
        with pytest.raises(RuntimeError), django_capture_on_commit_callbacks(execute=True):
            pdf = request_pdf(draft)
        pdf = PlanPdf.objects.get(version=draft)
        assert pdf.status == PlanPdf.Status.FAILED and "no fonts" in pdf.error
        monkeypatch.undo()
        again = rendered(draft)
        assert again.pk == pdf.pk and again.status == PlanPdf.Status.READY


def test_a_draft_keeps_only_the_pdf_of_its_latest_content(
    world, draft, rendered, django_capture_on_commit_callbacks
):
    with scope(organization=world.org):
        first = rendered(draft)
        old_name = first.file.name
        services.section_update(version=draft, key="budget", body="Changed")
        with django_capture_on_commit_callbacks(execute=True):
            request_pdf(draft)
        assert PlanPdf.objects.filter(version=draft).count() == 1
        assert not first.file.storage.exists(old_name)
