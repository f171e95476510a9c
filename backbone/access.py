"""How views reach tenant objects: organization first, permission second, 404 for strangers."""

from collections.abc import Callable
from functools import wraps
from typing import TypeVar

from django.core.exceptions import PermissionDenied
from django.db.models import Model, QuerySet
from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404

from .permissions import can

M = TypeVar("M", bound=Model)


def org_view(action: str = "organization.view") -> Callable:
    """Decorate a view under /o/<org_slug>/ that needs `action`.

    The middleware has already answered 404 to non-members; a member whose role
    lacks the action gets 403 (they know the organization exists).
    """

    def decorator(view):
        @wraps(view)
        def wrapper(request: HttpRequest, org_slug: str, *args, **kwargs):
            if getattr(request, "membership", None) is None:
                raise Http404
            if not can(request.membership, action):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        wrapper.permission = action
        return wrapper

    return decorator


def get_for_org(request: HttpRequest, queryset: type[M] | QuerySet[M], **lookup) -> M:
    """The object of the current organization matching `lookup`, or 404."""
    return get_object_or_404(queryset, organization=request.organization, **lookup)
