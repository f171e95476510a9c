from django.utils.functional import SimpleLazyObject

from .navigation import organization_nav
from .switcher import switcher_entries


def organization(request):
    """The current organization and membership, and (lazily) the user's organizations for the
    switcher (cached: no query, see backbone.switcher) and the organization's navigation."""
    user = getattr(request, "user", None)
    return {
        "organization": getattr(request, "organization", None),
        "membership": getattr(request, "membership", None),
        "my_memberships": SimpleLazyObject(lambda: switcher_entries(user)),
        "organization_nav": SimpleLazyObject(lambda: organization_nav(request)),
    }
