"""The API asks the same table as the pages (`backbone.permissions`)."""

from rest_framework.permissions import BasePermission

from ..models import ApiToken
from ..permissions import can


class RolePermission(BasePermission):
    """A view names, per action (`list`, `retrieve`, `create`, a custom `@action`'s name…)
    the permission it needs in `permissions`; the token's membership must have it.
    An action a view does not name is refused."""

    def has_permission(self, request, view) -> bool:
        token = request.auth
        if not isinstance(token, ApiToken):
            return False
        needed = getattr(view, "permissions", {}).get(getattr(view, "action", None) or "")
        return needed is not None and can(token.membership, needed)
