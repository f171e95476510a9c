"""What the initiative views share: permission checks, errors, links."""

from django.core.exceptions import PermissionDenied
from django.urls import reverse

from backbone.forms import add_service_errors
from backbone.permissions import can

from ..models import Initiative

apply_errors = add_service_errors


def require_edit(request) -> None:
    if not can(request.membership, "initiatives.edit"):
        raise PermissionDenied


def initiative_url(initiative: Initiative, name: str = "detail") -> str:
    return reverse(
        f"initiatives:{name}",
        kwargs={"org_slug": initiative.organization.slug, "initiative_id": initiative.pk},
    )
