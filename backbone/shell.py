"""The parts of base.html every page shows alike, each rendered by its template once per
process for all it shows and then read back (settings.CACHES["shell"]): the header
(`{% site_header %}`, templates/components/site_header.html) — its navigation,
notifications bell, organization switcher and account menu cost more than many a page's
own content —, the stylesheet and scripts (`{% site_assets %}`) and the footer
(`{% site_footer %}`); and the messages (`{% site_messages %}`), most often none.

The key holds everything the header shows: the language, the person (their switcher stamp,
which any change to their organizations replaces — see backbone.switcher — and the name
they are shown by), the organization (its name and slug), the member's role (the areas they
may open) and unread count, and the page's path (the area marked current). A change to any
of them is a new key, so nothing is to invalidate; entries of the past age out of the
process's bounded cache (settings.CACHES["shell"]). The sign-out form's CSRF token is the
one thing that differs per request: it is put in afresh each time.
"""

import hashlib

from django.conf import settings
from django.core.cache import caches
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

TIMEOUT = 3600
# Rendered in the kept header where the sign-out form's token goes.
_PLACEHOLDER = "site-header-csrf-token"
_PLACEHOLDER_FIELD = f'<input type="hidden" name="csrfmiddlewaretoken" value="{_PLACEHOLDER}">'


def _kept(context, template_name: str, parts: tuple) -> str:
    """The template's HTML for this context, kept under `parts` (all the HTML depends on)."""
    cache = caches["shell"]
    digest = hashlib.md5(repr(parts).encode(), usedforsecurity=False).hexdigest()
    key = f"{template_name}:{digest}"
    html = cache.get(key)
    if html is None:
        html = str(context.template.engine.get_template(template_name).render(context))
        cache.set(key, html, TIMEOUT)
    return html


def site_assets(context) -> SafeString:
    """The stylesheet, icon and scripts: the same on every page while the process runs (their
    hashed names are read from the static files' manifest once)."""
    storage = settings.STORAGES["staticfiles"]["BACKEND"]
    html = _kept(
        context, "components/site_assets.html", (settings.DEBUG, settings.STATIC_URL, storage)
    )
    return mark_safe(html)  # noqa: S308 -- rendered by an autoescaping template


def site_footer(context) -> SafeString:
    """The footer: the same for every page of a language and the organization's time zone."""
    organization = context.get("organization")
    parts = (get_language(), organization.time_zone if organization is not None else None)
    return mark_safe(_kept(context, "components/site_footer.html", parts))  # noqa: S308 -- as above


def _header_parts(context) -> tuple:
    user = context.get("user")
    organization = context.get("organization")
    membership = context.get("membership")
    request = context.get("request")
    parts: tuple = (get_language(),)
    if user is not None and user.is_authenticated:
        parts += (user.pk, str(user.switcher_stamp), user.display_name)
    if organization is not None:
        parts += (organization.pk, organization.slug, organization.name)
        if membership is not None:
            parts += (membership.role, getattr(membership, "unread_notifications", None) or 0)
        parts += (request.path if request is not None else None,)
    return parts


def _csrf_field(context) -> str:
    """What `{% csrf_token %}` writes for this request's token."""
    token = context.get("csrf_token")
    if not token or token == "NOTPROVIDED":  # noqa: S105 -- Django's "no token" marker
        return ""
    return format_html('<input type="hidden" name="csrfmiddlewaretoken" value="{}">', token)


def site_header(context) -> SafeString:
    """The header for this page's context: kept, or rendered by the template and kept."""
    with context.push(csrf_token=_PLACEHOLDER):
        html = _kept(context, "components/site_header.html", _header_parts(context))
    # The template escaped every value; the token field is escaped by format_html.
    return mark_safe(html.replace(_PLACEHOLDER_FIELD, _csrf_field(context)))  # noqa: S308


def site_messages(context) -> SafeString:
    """templates/components/messages.html: nothing on most pages (no message waiting), the
    template only when there is one to show."""
    if not context.get("messages"):
        return mark_safe("\n")  # what the template writes then: its last line's end
    template = context.template.engine.get_template("components/messages.html")
    return mark_safe(template.render(context))  # noqa: S308 -- an autoescaping template
