"""How views reach tenant objects — the one way, for every app.

Organization first (the middleware has resolved it and answered 404 to non-members),
permission second (`org_view`, `require`), object-level narrowing third: the owning
app's selector hands in a queryset of what this member may see, and `access` takes
the object from it within the organization, or answers 404 — never 403, so ids of
other organizations don't leak. Selectors return querysets or None; turning absence
into 404 is this module's job, not theirs.

Objects that can be frozen (an archived initiative and everything in it) say so with
a `read_only_reason` attribute; `access(..., write=True)` refuses to hand them out
for a write.
"""

from collections.abc import Callable
from functools import wraps
from typing import TypeVar

from django.core.exceptions import PermissionDenied
from django.db.models import Model, QuerySet
from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404

from .ids import id_require
from .permissions import can

M = TypeVar("M", bound=Model)


class ReadOnly(PermissionDenied):
    """The object may be read but not changed (e.g. its initiative is archived)."""


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


def require(request: HttpRequest, action: str) -> None:
    """Refuse (403) a member whose role lacks `action`, for views that check
    a second permission beyond their decorator's (e.g. edit on a read page)."""
    if not can(request.membership, action):
        raise PermissionDenied


def access(
    request: HttpRequest, source: type[M] | QuerySet[M], /, *, write: bool = False, **lookup
) -> M:
    """The object of the current organization in `source` matching `lookup`, or 404.

    `source` is a model or, better, the owning app's `<things>_visible_to(membership)`
    queryset, so that partner users reach only what their partner may see. With
    `write=True` a read-only object (see `read_only_reason`) raises `ReadOnly`. A `pk`
    that is not an id (`abc`, `1.5`, too large) answers 400, never a crash.
    """
    for key in ("pk", "id"):
        if key in lookup:
            lookup[key] = id_require(lookup[key])
    obj = get_object_or_404(source, organization=request.organization, **lookup)
    if write:
        refuse_if_read_only(obj)
    return obj


def refuse_if_read_only(obj: Model) -> None:
    """Raise `ReadOnly` when `obj` says it can't be changed now."""
    reason = getattr(obj, "read_only_reason", "")
    if reason:
        raise ReadOnly(reason)
