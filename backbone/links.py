"""Links inside an organization, for pages and for mail."""

from django.conf import settings
from django.urls import reverse

from .models import Organization


def org_url(organization: Organization | str, name: str, /, **kwargs) -> str:
    """The path of the named URL under /o/<slug>/ (pass the organization or its slug)."""
    slug = organization if isinstance(organization, str) else organization.slug
    return reverse(name, kwargs={"org_slug": slug, **kwargs})


def absolute_url(path: str) -> str:
    """`path` on this site, for links that leave it (e-mails, feeds, PDFs)."""
    return settings.SITE_URL.rstrip("/") + path
