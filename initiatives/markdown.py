"""Markdown written by coordinators (stories), rendered and sanitized with an allow-list.

Initiatives can't import plans (apps depend one way), so this is a small one of its own.
"""

import markdown as md
import nh3
from django.utils.safestring import SafeString, mark_safe

ALLOWED_TAGS = {"p", "br", "strong", "em", "a", "ul", "ol", "li", "blockquote", "h3", "h4", "code"}
URL_SCHEMES = {"http", "https", "mailto"}


def render_markdown(text: str) -> SafeString:
    """Markdown → HTML with no script, style, event handler or dangerous link left in it."""
    html = md.markdown(text or "", extensions=["sane_lists"])
    cleaned = nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes={"a": {"href", "title"}},
        url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer",
    )
    return mark_safe(cleaned)  # noqa: S308 - nh3 has sanitized it
