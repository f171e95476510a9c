"""In-place saves tell the truth: an htmx answer says out loud what it saved.

base.html holds one polite live region (`#saved-status`); an answer to an in-place change
carries, out of band, the sentence it reads out ("Saved: …"). Numbers elsewhere on the page
that depend on the change travel the same way, as each page's own out-of-band partials.
"""

from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string


def append_fragment(
    response: HttpResponse, request: HttpRequest, template: str, context: dict
) -> HttpResponse:
    """Add a rendered out-of-band fragment (`hx-swap-oob`) to an htmx answer."""
    response.content += render_to_string(template, context, request=request).encode()
    return response


def announce_saved(response: HttpResponse, request: HttpRequest, message: str) -> HttpResponse:
    """Add "what was saved" to an htmx answer, for the page's polite live region."""
    return append_fragment(response, request, "components/saved.html", {"message": message})
