"""Personal API tokens: made and revoked on the profile page, kept only as a hash, shown
once, stopped at once when revoked or when the person leaves, never written to the logs."""

import hashlib
import logging

import pytest
from django_scopes import scopes_disabled

from backbone.models import ApiToken, Membership
from backbone.observability import JsonFormatter
from tests.api import ApiClient, token_for
from tests.test_html_validity import validate

pytestmark = pytest.mark.django_db


def test_a_token_is_made_on_the_profile_page_shown_once_and_kept_as_a_hash(world, login):
    client = login(world.partner)
    membership = world.membership(world.partner)
    page = client.post(
        "/accounts/profile/tokens/", {"name": "Our database", "membership": membership.pk}
    )
    assert page.status_code == 200
    secret = page.context["new_token"][1]
    assert secret.startswith("bbk_") and secret in page.content.decode()
    token = ApiToken.objects.get()
    assert token.key_hash == hashlib.sha256(secret.encode()).hexdigest()
    assert secret not in {token.key_hash, token.hint, token.name}
    assert (token.membership, token.name, token.last_used_at) == (membership, "Our database", None)
    # Shown once: the profile page lists the token, never its secret.
    again = client.get("/accounts/profile/").content.decode()
    assert "Our database" in again and secret not in again
    assert ApiClient(secret).get("/api/v1/initiatives/").status_code == 200
    token.refresh_from_db()
    assert token.last_used_at is not None


def test_a_token_is_for_an_organization_the_person_belongs_to(world, login):
    other = Membership.objects.get(user=world.outsider)
    page = login(world.partner).post(
        "/accounts/profile/tokens/", {"name": "Sneaky", "membership": other.pk}
    )
    assert page.status_code == 422
    assert not ApiToken.objects.exists()


def test_a_revoked_token_stops_at_once(world, login):
    secret = token_for(world.coordinator, world.org)
    api = ApiClient(secret)
    assert api.get("/api/v1/indicators/").status_code == 200
    token = ApiToken.objects.get()
    # Someone else cannot revoke it.
    assert (
        login(world.admin).post(f"/accounts/profile/tokens/{token.pk}/revoke/").status_code == 404
    )
    assert api.get("/api/v1/indicators/").status_code == 200
    assert (
        login(world.coordinator).post(f"/accounts/profile/tokens/{token.pk}/revoke/").status_code
        == 302
    )
    refused = api.get("/api/v1/indicators/")
    assert refused.status_code == 401
    assert refused.json()["error"]["code"] == "authentication_failed"
    assert "revoked" in login(world.coordinator).get("/accounts/profile/").content.decode().lower()


def test_a_token_stops_when_its_member_leaves_and_follows_a_role_change(world):
    api = ApiClient(token_for(world.coordinator, world.org))
    membership = world.membership(world.coordinator)
    assert api.get("/api/v1/contacts/").status_code == 200
    membership.role = "roundtable"
    membership.save()
    assert api.get("/api/v1/contacts/").status_code == 403
    membership.delete()
    assert api.get("/api/v1/indicators/").status_code == 401


def test_no_token_or_a_wrong_one_is_a_401_in_the_one_error_shape(world):
    for api in (ApiClient(None), ApiClient("bbk_not-a-real-token"), ApiClient("garbage")):
        answer = api.get("/api/v1/initiatives/")
        assert answer.status_code == 401
        assert answer["WWW-Authenticate"].startswith("Bearer")
        assert set(answer.json()["error"]) == {"status", "code", "message", "fields"}


def test_tokens_never_appear_in_the_logs(world, caplog, settings):
    secret = token_for(world.partner, world.org)
    with caplog.at_level(logging.DEBUG), caplog.at_level(logging.INFO, "backbone.request"):
        ApiClient(secret).get("/api/v1/initiatives/")
        ApiClient(secret).get("/api/v1/values/abc/")  # a refusal is logged as a warning
        ApiClient(secret + "x").get("/api/v1/initiatives/")
    lines = [JsonFormatter().format(record) for record in caplog.records]
    request_lines = [r for r in caplog.records if r.name == "backbone.request"]
    assert len(request_lines) == 3, "each request was logged"
    assert any("/api/v1/initiatives/" in line for line in lines)
    assert all(secret not in line for line in lines)
    assert all(secret[4:20] not in line for line in lines)


def test_the_token_list_on_the_profile_page_is_the_persons_own(world, login):
    token_for(world.partner, world.org, name="Partner's key")
    token_for(world.outsider, world.other_org, name="Outsider's key")
    page = login(world.partner).get("/accounts/profile/").content.decode()
    assert "Partner&#x27;s key" in page and "Outsider" not in page
    with scopes_disabled():
        assert ApiToken.objects.count() == 2


def test_the_profile_page_with_its_tokens_is_valid_html(world, login, tmp_path):
    secret = token_for(world.partner, world.org, name="Old key")
    ApiClient(secret).get("/api/v1/initiatives/")
    client = login(world.partner)
    revoked = ApiToken.objects.get()
    client.post(f"/accounts/profile/tokens/{revoked.pk}/revoke/")
    made = client.post(
        "/accounts/profile/tokens/",
        {"name": "Our database", "membership": world.membership(world.partner).pk},
    )
    refused = client.post("/accounts/profile/tokens/", {"name": "", "membership": "x"})
    assert refused.status_code == 422
    for name, page in (
        ("made", made),
        ("refused", refused),
        ("list", client.get("/accounts/profile/")),
    ):
        (tmp_path / f"{name}.html").write_text(page.content.decode())
    assert validate(tmp_path) == {}
