import functools

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import BadRequest
from django.db.models import Count, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.http import Http404
from django.urls import Resolver404, resolve
from django.utils import timezone, translation
from django.utils.cache import patch_cache_control
from django_scopes import scope, scopes_disabled

from .models import Membership, Notification


@functools.cache
def _unread():
    """The member's unread notifications, counted inside the membership query (the bell).
    Built once: a query resolves its own copy of an expression."""
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


class RefuseNulBytesMiddleware:
    """Answers 400 to a request with a NUL byte in any query or form key or value.

    No text we keep may hold one (PostgreSQL refuses them in text columns, so a
    filter or a form given `%00` would crash deep in a query); refusing them here,
    once, spares every view and form from checking.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        sources = [request.GET, request.POST] if request.method == "POST" else [request.GET]
        for data in sources:
            for key, values in data.lists():
                if "\x00" in key or any("\x00" in value for value in values):
                    raise BadRequest("A NUL byte in the request.")
        return self.get_response(request)
