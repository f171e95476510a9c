"""Markdown written by coordinators, rendered and sanitized with nh3 before anyone sees it.

One place for every app: short texts (stories, newsletter items, answers) get a small
allow-list; documents (plan sections, report card narratives) also get headings and
tables. No script, style, event handler or javascript:/data: link ever gets through.
"""

import re
from html.parser import HTMLParser

import markdown as md
import nh3
from django.utils.safestring import SafeString, mark_safe

SHORT_TAGS = {"p", "br", "strong", "em", "a", "ul", "ol", "li", "blockquote", "h3", "h4", "code"}
DOCUMENT_TAGS = {
    "p", "br", "hr", "h2", "h3", "h4", "h5", "h6", "strong", "em", "b", "i", "code", "pre",
    "blockquote", "ul", "ol", "li", "a", "table", "thead", "tbody", "tr", "th", "td",
    "sup", "sub", "del", "ins", "abbr",
}  # fmt: skip
ATTRIBUTES = {"a": {"href", "title"}, "abbr": {"title"}, "th": {"align"}, "td": {"align"}}
# No javascript:, data: or vbscript: links; relative links stay allowed.
URL_SCHEMES = {"http", "https", "mailto"}


def _clean(html: str, tags: set[str]) -> str:
    return nh3.clean(
        html,
        tags=tags,
        attributes=ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer",
    )


def render_markdown(text: str) -> SafeString:
    """A short text: paragraphs, emphasis, lists, links, quotes."""
    html = md.markdown(text or "", extensions=["sane_lists"])
    return mark_safe(_clean(html, SHORT_TAGS))  # noqa: S308 - nh3 has sanitized it


def render_document_markdown(text: str) -> SafeString:
    """A document section: also headings and tables. Headings start at h2 (h1 is the
    section's own title) by shifting "#" down."""
    html = md.markdown(text or "", extensions=["tables", "sane_lists"], output_format="html")
    cleaned = _clean(html, DOCUMENT_TAGS | {"h1"})
    cleaned = cleaned.replace("<h1>", "<h2>").replace("</h1>", "</h2>")
    return mark_safe(cleaned)  # noqa: S308 - nh3 has sanitized it


class _TextWriter(HTMLParser):
    """Sanitized HTML to plain text, for the text part of a mail: paragraphs apart, list
    items as "- ", links as "text (address)", emphasis dropped."""

    BLOCKS = {"p", "blockquote", "h2", "h3", "h4", "h5", "h6", "pre", "table", "ul", "ol", "hr"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.out: list[str] = []
        self.href: list[str | None] = []
        self.depth = 0

    def handle_starttag(self, tag, attrs):
        if tag in self.BLOCKS:
            self.out.append("\n\n")
        if tag in ("ul", "ol"):
            self.depth += 1
        elif tag == "li":
            self.out.append("\n" + "  " * (self.depth - 1) + "- ")
        elif tag in ("br", "tr"):
            self.out.append("\n")
        elif tag in ("td", "th"):
            self.out.append(" | ")
        elif tag == "a":
            self.href.append(dict(attrs).get("href"))

    def handle_endtag(self, tag):
        if tag in ("ul", "ol"):
            self.depth -= 1
        if tag in self.BLOCKS:
            self.out.append("\n\n")
        elif tag == "a" and self.href:
            href = self.href.pop()
            if href and href not in self.out[-1]:
                self.out.append(f" ({href})")

    def handle_data(self, data):
        if "\n" in data and not data.strip():
            return  # the markup's own line breaks between blocks
        self.out.append(data)

    def text(self) -> str:
        joined = "".join(self.out)
        lines = [line.rstrip() for line in joined.splitlines()]
        return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


def markdown_to_text(text: str, *, document: bool = False) -> str:
    """Markdown as plain text (not raw Markdown): what a mail's text part shows."""
    html = (render_document_markdown if document else render_markdown)(text)
    writer = _TextWriter()
    writer.feed(str(html))
    writer.close()
    return writer.text()
