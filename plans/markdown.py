"""Markdown written by coordinators, rendered and sanitized before anyone sees it."""

import markdown as md
import nh3
from django.utils.safestring import SafeString, mark_safe

ALLOWED_TAGS = {
    "p", "br", "hr", "h2", "h3", "h4", "h5", "h6", "strong", "em", "b", "i", "code", "pre",
    "blockquote", "ul", "ol", "li", "a", "table", "thead", "tbody", "tr", "th", "td",
    "sup", "sub", "del", "ins", "abbr",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "abbr": {"title"}, "th": {"align"}, "td": {"align"}}
# No javascript:, data: or vbscript: links; relative links stay allowed.
URL_SCHEMES = {"http", "https", "mailto"}


def render_markdown(text: str) -> SafeString:
    """Markdown → HTML with no script, style, event handler or dangerous URL left in it.

    Headings start at h2 (h1 is the section's own title) by shifting "#" down.
    """
    html = md.markdown(text or "", extensions=["tables", "sane_lists"], output_format="html")
    cleaned = nh3.clean(
        html,
        tags=ALLOWED_TAGS | {"h1"},
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer",
    )
    cleaned = cleaned.replace("<h1>", "<h2>").replace("</h1>", "</h2>")
    return mark_safe(cleaned)  # noqa: S308 - nh3 has sanitized it
