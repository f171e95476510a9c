"""The base of every API view: the token's organization is resolved and its scope, time zone
and language activated around the whole request (as `OrganizationMiddleware` does for pages);
objects are reached through the owning app's `*_visible_to(membership)` selector with
`backbone.access.access` (another organization's id, or one the member may not see, is a 404);
reads carry an ETag and answer 304 to a matching `If-None-Match`."""

import hashlib
from contextlib import ExitStack

from django.db.models import Model, QuerySet
from django.utils import timezone, translation
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.translation import gettext_lazy as _
from django_scopes import scope
from rest_framework import exceptions, viewsets
from rest_framework.filters import BaseFilterBackend

from ..access import access
from ..ids import id_parse
from ..models import ApiToken, Membership


def etag_of(content: bytes) -> str:
    """A strong ETag for a response body: the same bytes, the same tag."""
    return '"' + hashlib.sha256(content).hexdigest()[:32] + '"'


def with_etag(request, response):
    """Tag a successful read; a client that already holds this version gets 304, no body.
    Answers hold an organization's data: no shared cache keeps them, and a client's own
    copy is checked again (by its ETag) before it is used."""
    patch_cache_control(response, private=True, no_cache=True)
    if request.method not in ("GET", "HEAD") or response.status_code != 200:
        return response
    etag = etag_of(response.content)
    response["ETag"] = etag
    return get_conditional_response(request, etag=etag, response=response)


def read_input(serializer_class, request) -> dict:
    """The request's body as `serializer_class` reads it, or a 400 with its field errors."""
    data = serializer_class(data=request.data)
    data.is_valid(raise_exception=True)
    return dict(data.validated_data)


class QueryFilters(BaseFilterBackend):
    """Filters a list by the query parameters its view names in `filters`:
    `{"indicator": ("indicator_id", int, "…"), "period": ("period", str, "…")}`.
    An id that is not one is a 400, never a crash."""

    def filter_queryset(self, request, queryset, view):
        for name, (lookup, kind, _help) in getattr(view, "filters", {}).items():
            raw = request.query_params.get(name, "").strip()
            if not raw:
                continue
            value = id_parse(raw) if kind is int else raw
            if value is None:
                raise exceptions.ValidationError({name: [_("Not an id.")]})
            queryset = queryset.filter(**{lookup: value})
        return queryset

    def get_schema_operation_parameters(self, view):
        return [
            {
                "name": name,
                "required": False,
                "in": "query",
                "description": str(help_text),
                "schema": {"type": "integer" if kind is int else "string"},
            }
            for name, (_lookup, kind, help_text) in getattr(view, "filters", {}).items()
        ]


class OrganizationScoped:
    """Mixin for an API view: runs inside the token's organization."""

    permissions: dict[str, str] = {}

    @property
    def membership(self) -> Membership:
        return self.request.auth.membership

    def dispatch(self, request, *args, **kwargs):
        with ExitStack() as stack:
            self._context = stack
            response = super().dispatch(request, *args, **kwargs)
            if hasattr(response, "render") and callable(response.render):
                response = response.render()  # inside the scope, zone and language
        return with_etag(request, response)

    def initial(self, request, *args, **kwargs):
        self.perform_authentication(request)
        token = request.auth
        if isinstance(token, ApiToken):
            membership = token.membership
            organization = membership.organization
            for target in (request, request._request):
                target.organization = organization
                target.membership = membership
            self._context.enter_context(scope(organization=organization))
            self._context.enter_context(timezone.override(organization.tzinfo))
            self._context.enter_context(translation.override(organization.language))
        super().initial(request, *args, **kwargs)


class OrganizationViewSet(OrganizationScoped, viewsets.GenericViewSet):
    """A resource of the token's organization. Subclasses name `model`, `permissions`
    per action, optional `filters`, and `visible(membership)`: the owning app's selector."""

    model: type[Model]
    filters: dict[str, tuple[str, type, str]] = {}
    filter_backends = [QueryFilters]

    def visible(self, membership: Membership) -> QuerySet:
        raise NotImplementedError

    def get_queryset(self) -> QuerySet:
        if getattr(self, "swagger_fake_view", False):  # drf-spectacular reads the model only
            return self.model._base_manager.none()
        return self.visible(self.membership)

    def get_object(self, *, write: bool = False):
        """The object of this id the member may see (else 404); for a write, one that may
        change (else 403, e.g. its initiative is archived)."""
        obj = access(self.request, self.get_queryset(), pk=self.kwargs["pk"], write=write)
        self.check_object_permissions(self.request, obj)
        return obj
