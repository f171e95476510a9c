"""Markdown written by coordinators, rendered and sanitized with nh3 before anyone sees it.

One place for every app: short texts (stories, newsletter items, answers) get a small
allow-list; documents (plan sections, report card narratives) also get headings and
tables. No script, style, event handler or javascript:/data: link ever gets through.
"""

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
