"""Plans as PDF: WeasyPrint, print CSS, local fonts only, no network."""

from __future__ import annotations

import logging

from django.template.loader import render_to_string
from django.utils import timezone
from weasyprint import HTML
from weasyprint.urls import URLFetcher

from .sections import render_sections
from .selectors import VersionContent

# WeasyPrint logs every layout step at INFO: too chatty for a worker's log.
for name in ("weasyprint", "weasyprint.progress"):
    logging.getLogger(name).setLevel(logging.WARNING)


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


def plan_pdf_bytes(content: VersionContent) -> bytes:
    return HTML(string=plan_html(content), url_fetcher=LocalOnlyFetcher()).write_pdf()


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
    return HTML(string=report_card_html(card, data), url_fetcher=LocalOnlyFetcher()).write_pdf()
