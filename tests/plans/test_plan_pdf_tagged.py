"""Plans and report cards are tagged PDF/UA-1: pypdf reads back the structure tree, the
document's language and title, headings in order, table headers and every chart's alt
text saying its values in words."""

import io
from decimal import Decimal

from django_scopes import scope
from pypdf import PdfReader
from pypdf.generic import ArrayObject, DictionaryObject

from plans.pdf import plan_pdf_bytes, report_card_pdf_bytes
from plans.selectors.plan import version_content
from plans.selectors.report_card import card_data

from ..measures.factories import DataPointFactory, IndicatorFactory, TargetFactory
from .factories import (
    GoalFactory,
    ReportCardFactory,
    StrategyFactory,
    StrategyTargetFactory,
    draft_of,
    falling_indicator,
    started_plan,
)


def structure(data: bytes) -> tuple[PdfReader, list[DictionaryObject]]:
    """The PDF and its structure elements in document order."""
    reader = PdfReader(io.BytesIO(data))
    root = reader.trailer["/Root"]
    assert "/StructTreeRoot" in root, "not a tagged PDF"
    elements: list[DictionaryObject] = []

    def walk(node):
        node = node.get_object() if hasattr(node, "get_object") else node
        if isinstance(node, ArrayObject):
            for child in node:
                walk(child)
        elif isinstance(node, DictionaryObject) and node.get("/Type") != "/MCR":
            if "/S" in node:
                elements.append(node)
            if "/K" in node:
                walk(node["/K"])

    walk(root["/StructTreeRoot"]["/K"])
    return reader, elements


def assert_accessible(data: bytes, *, title: str, language: str, chart_words: list[str]):
    reader, elements = structure(data)
    root = reader.trailer["/Root"]
    assert root["/Lang"] == language
    assert reader.metadata.title == title
    assert root["/MarkInfo"]["/Marked"] in (True, "true", "/true")
    assert root["/ViewerPreferences"]["/DisplayDocTitle"] in (True, "true", "/true")
    kinds = [str(e["/S"])[1:] for e in elements]
    headings = [int(k[1]) for k in kinds if k in {"H1", "H2", "H3", "H4", "H5", "H6"}]
    assert headings[0] == 1 and headings.count(1) == 1, headings
    assert all(b <= a + 1 for a, b in zip(headings, headings[1:], strict=False)), headings
    assert "Table" in kinds and "TH" in kinds
    figures = [str(e.get("/Alt", "")) for e in elements if e["/S"] == "/Figure"]
    assert figures and all(figures), figures
    for words in chart_words:
        assert any(words in alt for alt in figures), (words, figures)
    return kinds


def school_readiness(initiative, approved: dict[str, str]):
    """A rising indicator in percent, with approved values (period: value) and a target."""
    indicator = IndicatorFactory(
        initiative=initiative, name="Children ready for school", unit="percent", direction="up"
    )
    for period, value in approved.items():
        DataPointFactory(
            indicator=indicator, period=period, value=Decimal(value), status="approved"
        )
    TargetFactory(indicator=indicator, value=Decimal("80"), date="2027-12-31")
    return indicator


def test_a_plan_is_a_tagged_pdf_with_language_title_headings_tables_and_chart_alt_text(
    world, initiative
):
    version = draft_of(started_plan(initiative))
    strategy = StrategyFactory(goal=GoalFactory(version=version), title="Living wage employers")
    indicator = falling_indicator(
        initiative,
        "Households using the food bank each month",
        frequency="quarterly",
        baseline="3400",
        approved={"2026-Q3": "3350", "2026-Q4": "3310"},
    )
    StrategyTargetFactory(strategy=strategy, indicator=indicator, value="2900")
    with scope(organization=world.org):
        data = plan_pdf_bytes(version_content(version))
    assert_accessible(
        data,
        title="Poverty Reduction Roundtable — Common agenda",
        language=world.org.language,
        chart_words=["lower is better", "approved values 2026-Q3 3,350, 2026-Q4 3,310"],
    )


def test_a_report_card_is_a_tagged_pdf_with_language_title_headings_tables_and_chart_alt_text(
    world, initiative
):
    school_readiness(initiative, {"2027-Q1": "61", "2027-Q2": "64"})
    card = ReportCardFactory(initiative=initiative, period="2027-H1")
    with scope(organization=world.org):
        data = report_card_pdf_bytes(card, card_data(card))
    assert_accessible(
        data,
        title="Poverty Reduction Roundtable — Six-month report card 2027-H1 (Jan 2027 – Jun 2027)",
        language=world.org.language,
        chart_words=["higher is better", "2027-Q2 64 %", "target 80"],
    )
