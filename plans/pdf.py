"""Plans as PDF: WeasyPrint, print CSS, local fonts only, no network. Every PDF is tagged
PDF/UA-1: a structure tree from the HTML (headings, lists, tables with their headers,
figures with their alt text), the document's language and its title."""

from __future__ import annotations

import hashlib
import json

from django.template.loader import render_to_string
from django.utils import timezone
from weasyprint import HTML
from weasyprint.urls import URLFetcher

from .models import BackboneFunction
from .sections import data_sections, render_sections
from .selectors.plan import VersionContent
from .selectors.review import review_answers, review_results, review_trend

# Bump when the PDF templates change in a way that should re-render drafts.
PDF_LAYOUT = "2"


class LocalOnlyFetcher(URLFetcher):
    """Refuses every URL but inline data: a PDF never fetches from the network.

    Fonts come from the machine (DejaVu from Debian, through fontconfig); charts
    are inline SVG; images must be data: URLs.
    """

    def __init__(self):
        super().__init__(allowed_protocols={"data"}, fail_on_errors=False)

    def fetch(self, url, headers=None):
        if not url.startswith("data:"):
            raise ValueError(f"Backbone PDFs fetch nothing from outside: {url[:80]}")
        return super().fetch(url, headers)


def content_fingerprint(content: VersionContent) -> dict:
    """Everything the PDF shows, as plain data (for the content hash and the diff)."""
    version = content.version
    return {
        "layout": PDF_LAYOUT,
        "organization": version.organization.name,
        "initiative": [content.initiative.name, content.initiative.issue, content.initiative.geography],
        "version": [version.number, version.status, str(version.adopted_on or ""),
                    version.adopted_by_body],
        "sections": {key: s.body for key, s in sorted(content.sections.items())},
        "goals": [
            [g.title, g.description,
             [[s.title, s.description, s.target, s.lead_name] for s in g.strategies.all()]]
            for g in content.goals
        ],
        "targets": [
            [t.indicator_id, str(t.value), str(t.date)]
            for g in content.goals for s in g.strategies.all() for t in s.targets.all()
        ],
        "data": hashlib.sha256("".join(data_sections(content).values()).encode()).hexdigest(),
        "budget": [[b.item, str(b.amount), b.year, b.source] for b in content.budget_lines],
        "engagement": [
            [a.level, a.title, a.target, a.target_number, str(a.budget or ""), a.lead_name]
            for a in content.engagement_activities
        ],
    }  # fmt: skip


def content_hash(content: VersionContent) -> str:
    """The key of a version's PDF: the same content makes the same PDF."""
    payload = json.dumps(content_fingerprint(content), sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(payload.encode()).hexdigest()


def plan_html(content: VersionContent) -> str:
    version = content.version
    return render_to_string(
        "plans/pdf/plan.html",
        {
            "content": content,
            "version": version,
            "initiative": content.initiative,
            "organization": version.organization,
            "sections": render_sections(content, for_pdf=True),
            "generated_at": timezone.localtime(),
        },
    )


def accessible_pdf(html: str) -> bytes:
    """The page as a tagged PDF/UA-1 (its language from <html lang>, its title from <title>,
    a chart's alt text from its SVG <title>)."""
    return HTML(string=html, url_fetcher=LocalOnlyFetcher()).write_pdf(pdf_variant="pdf/ua-1")


def plan_pdf_bytes(content: VersionContent) -> bytes:
    return accessible_pdf(plan_html(content))


def report_card_html(card, data: dict) -> str:
    """A report card from its data (the snapshot once issued): same look as the plans."""
    return render_to_string(
        "plans/pdf/report_card.html",
        {
            "card": card,
            "data": data,
            "organization": card.organization,
            "generated_at": timezone.localtime(),
        },
    )


def report_card_pdf_bytes(card, data: dict) -> bytes:
    return accessible_pdf(report_card_html(card, data))


def review_html(review) -> str:
    """A closed review for the roundtable: results, trend, comments, the team's view and
    its response."""
    answers = review_answers(review)
    return render_to_string(
        "plans/pdf/review.html",
        {
            "review": review,
            "organization": review.organization,
            "results": review_results(review, answers),
            "trend": review_trend(review),
            "functions": BackboneFunction,
            "generated_at": timezone.localtime(),
        },
    )


def review_pdf_bytes(review) -> bytes:
    return accessible_pdf(review_html(review))
