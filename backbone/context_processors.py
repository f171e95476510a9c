from django.utils.functional import SimpleLazyObject

from .models import Membership
from .navigation import organization_nav


def organization(request):
    """The current organization and membership, and (lazily) the user's others for the switcher
    and the organization's navigation."""
    user = getattr(request, "user", None)

    def my_memberships():
        if user is None or not user.is_authenticated:
            return []
        return list(Membership.objects.filter(user=user).select_related("organization"))

    return {
        "organization": getattr(request, "organization", None),
        "membership": getattr(request, "membership", None),
        "my_memberships": SimpleLazyObject(my_memberships),
        "organization_nav": SimpleLazyObject(lambda: organization_nav(request)),
    }
