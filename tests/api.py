"""Clients of the API in tests: a personal token for a member, sent as the API wants it."""

import json

from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from backbone.api.tokens import api_token_create
from backbone.models import Membership, Organization, User


def token_for(user: User, organization: Organization, name: str = "Test token") -> str:
    """A new token of `user` in `organization` (its secret)."""
    membership = Membership.objects.get(user=user, organization=organization)
    return api_token_create(membership=membership, name=name)[1]


API_PREFIX = "api/v1/"


def api_endpoints() -> list[tuple[str, bool, str, str, type]]:
    """(URL name, takes an id, HTTP method, action, viewset) of every endpoint under
    /api/v1/ (the router's patterns are regular expressions)."""
    found = []

    def walk(patterns, route):
        for pattern in patterns:
            full = route + str(pattern.pattern).lstrip("^")
            if isinstance(pattern, URLResolver):
                walk(pattern.url_patterns, full)
            elif isinstance(pattern, URLPattern) and full.startswith(API_PREFIX):
                detail = "pk" in pattern.pattern.regex.groupindex
                actions = getattr(pattern.callback, "actions", {})
                for method, action in actions.items():
                    found.append((pattern.name, detail, method, action, pattern.callback.cls))

    walk(get_resolver().url_patterns, "")
    return found


def url_of(name: str, obj=None) -> str:
    return reverse(f"api:v1:{name}", kwargs={"pk": obj.pk} if obj is not None else {})


class ApiClient:
    """GET, POST and PATCH with a bearer token and JSON bodies."""

    def __init__(self, secret: str | None):
        headers = {"authorization": f"Bearer {secret}"} if secret else {}
        self.client = Client(headers=headers)
        self.secret = secret

    def get(self, path: str, data=None, headers=None):
        return self.client.get(path, data, headers=headers)

    def post(self, path: str, body=None, **headers):
        return self.client.post(
            path, json.dumps(body or {}), content_type="application/json", headers=headers
        )

    def patch(self, path: str, body=None, **headers):
        return self.client.patch(
            path, json.dumps(body or {}), content_type="application/json", headers=headers
        )


def api_as(user: User, organization: Organization) -> ApiClient:
    return ApiClient(token_for(user, organization))
