"""Clients of the API in tests: a personal token for a member, sent as the API wants it."""

import json

from django.test import Client

from backbone.api.tokens import api_token_create
from backbone.models import Membership, Organization, User


def token_for(user: User, organization: Organization, name: str = "Test token") -> str:
    """A new token of `user` in `organization` (its secret)."""
    membership = Membership.objects.get(user=user, organization=organization)
    return api_token_create(membership=membership, name=name)[1]


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
