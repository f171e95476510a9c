"""What the navigation shows: the organization's areas, and the `Tab` every tab bar lists.

URL names are strings so `backbone` knows no domain app; `base.html` loops over
`organization_nav(request)` (the context processor puts it in every page) and
`templates/components/tabs.html` renders any list of `Tab`.
"""

from dataclasses import dataclass

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from .permissions import can


@dataclass(frozen=True)
class Tab:
    label: str
    url: str
    current: bool = False


@dataclass(frozen=True)
class NavItem:
    label: str
    url_name: str
    permission: str | None = None  # None: every member sees it
    exact: bool = False  # current only on its own path (the home), not on the paths below it


ORGANIZATION_NAV = (
    NavItem(_("Dashboard"), "organization_home", exact=True),
    NavItem(_("Initiatives"), "initiatives:index"),
    NavItem(_("Stakeholders"), "stakeholders:index"),
    NavItem(_("Measures"), "measures:index"),
    NavItem(_("Plans"), "plans:index"),
    NavItem(_("Newsletter"), "newsletters:index", "newsletters.manage"),
    NavItem(_("Reviews"), "reviews:index", "reviews.view"),
    NavItem(_("Members"), "members", "members.view"),
    NavItem(_("Settings"), "organization_settings", "organization.settings"),
)


def organization_nav(request) -> list[Tab]:
    """The areas of the request's organization the member may open, the one being read marked."""
    organization = getattr(request, "organization", None)
    if organization is None:
        return []
    membership = getattr(request, "membership", None)
    tabs = []
    for item in ORGANIZATION_NAV:
        if item.permission and not can(membership, item.permission):
            continue
        url = reverse(item.url_name, kwargs={"org_slug": organization.slug})
        current = request.path == url if item.exact else url in request.path
        tabs.append(Tab(item.label, url, current))
    return tabs
