"""What the initiative views share: permission checks, errors, links."""

from django.core.exceptions import PermissionDenied
from django.urls import reverse

from backbone.forms import add_service_errors
from backbone.permissions import can

from ..models import Initiative


def invalid_status(request) -> int:
    """The status of a form shown again with its errors.

    htmx swaps only successful responses, so a form re-rendered in place answers 200;
    a full page answers 400.
    """
    return 200 if request.htmx else 400


apply_errors = add_service_errors


def require_edit(request) -> None:
    if not can(request.membership, "initiatives.edit"):
        raise PermissionDenied


def initiative_url(initiative: Initiative, name: str = "detail") -> str:
    return reverse(
        f"initiatives:{name}",
        kwargs={"org_slug": initiative.organization.slug, "initiative_id": initiative.pk},
    )
