"""Links inside an organization, for pages and for mail."""

from django.conf import settings
from django.urls import reverse

from .models import Organization


def org_url(organization: Organization | str, name: str, /, **kwargs) -> str:
    """The path of the named URL under /o/<slug>/ (pass the organization or its slug)."""
    slug = organization if isinstance(organization, str) else organization.slug
    return reverse(name, kwargs={"org_slug": slug, **kwargs})


def site_url(request=None) -> str:
    """This site's address: the one the person is using when there is a request (its host
    is checked against ALLOWED_HOSTS), `SITE_URL` otherwise (jobs, beat)."""
    if request is not None:
        return request.build_absolute_uri("/").rstrip("/")
    return settings.SITE_URL.rstrip("/")


def absolute_url(path: str, request=None) -> str:
    """`path` on this site, for links that leave it (e-mails, feeds, PDFs)."""
    return site_url(request) + path
