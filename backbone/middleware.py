from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.db.models import Count, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.http import Http404
from django.urls import Resolver404, resolve
from django.utils import timezone, translation
from django.utils.cache import patch_cache_control
from django_scopes import scope, scopes_disabled

from .models import Membership, Notification


def _unread():
    """The member's unread notifications, counted inside the membership query (the bell)."""
    with scopes_disabled():
        return Coalesce(
            Subquery(
                Notification.objects.filter(
                    organization=OuterRef("organization_id"),
                    user=OuterRef("user_id"),
                    read_at=None,
                )
                .order_by()
                .values("user")
                .annotate(count=Count("pk"))
                .values("count")
            ),
            0,
        )


class OrganizationMiddleware:
    """Resolves /o/<org_slug>/… once per request (as pretix does).

    Sets `request.organization` and `request.membership`, activates the
    organization's query scope, time zone and language around the whole response,
    and answers 404 to anyone who is not a member, so slugs don't leak.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.organization = None
        request.membership = None
        try:
            match = resolve(request.path_info)
        except Resolver404:
            return self.get_response(request)
        slug = match.kwargs.get("org_slug")
        if slug is None:
            return self.get_response(request)

        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path(), settings.LOGIN_URL)
        membership = (
            Membership.objects.select_related("organization")
            .annotate(unread_notifications=_unread())
            .filter(user=request.user, organization__slug=slug)
            .first()
        )
        if membership is None:
            raise Http404("No such organization")

        organization = membership.organization
        request.organization = organization
        request.membership = membership
        with (
            scope(organization=organization),
            timezone.override(organization.tzinfo),
            translation.override(organization.language),
        ):
            response = self.get_response(request)
            # Render lazy responses inside the scope, time zone and language.
            if hasattr(response, "render") and callable(response.render):
                response = response.render()
        # Every page of an organization holds its people's data: no shared cache keeps it.
        patch_cache_control(response, private=True, no_store=True)
        return response
