"""Links inside an organization, for pages and for mail."""

from dataclasses import dataclass

from django.conf import settings
from django.urls import reverse

from .models import Organization


def org_url(organization: Organization | str, name: str, /, **kwargs) -> str:
    """The path of the named URL under /o/<slug>/ (pass the organization or its slug)."""
    slug = organization if isinstance(organization, str) else organization.slug
    return reverse(name, kwargs={"org_slug": slug, **kwargs})


# An id no row has, reversed in its place and replaced by each row's.
_ANY_ID = 987654321


@dataclass(frozen=True)
class RowUrl:
    """The address of any row of a list, reversed once: `{{ row_url|with_id:row.pk }}` in a
    loop costs a string join where a `{% url %}` per row reversed the pattern each time."""

    prefix: str
    suffix: str

    def of(self, pk) -> str:
        return f"{self.prefix}{pk}{self.suffix}"


def row_url(organization: Organization | str, name: str, id_kwarg: str, /, **kwargs) -> RowUrl:
    """The `RowUrl` of the named URL whose row id is the keyword `id_kwarg`."""
    url = org_url(organization, name, **{id_kwarg: _ANY_ID}, **kwargs)
    prefix, _, suffix = url.rpartition(str(_ANY_ID))
    return RowUrl(prefix, suffix)


def site_url(request=None) -> str:
    """This site's address: the one the person is using when there is a request (its host
    is checked against ALLOWED_HOSTS), `SITE_URL` otherwise (jobs, beat)."""
    if request is not None:
        return request.build_absolute_uri("/").rstrip("/")
    return settings.SITE_URL.rstrip("/")


def absolute_url(path: str, request=None) -> str:
    """`path` on this site, for links that leave it (e-mails, feeds, PDFs)."""
    return site_url(request) + path
