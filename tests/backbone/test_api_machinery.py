"""The API's shared machinery: ETags and 304, rate limits per token, pagination and filters,
the one error shape, the checked-in OpenAPI schema and the documentation page."""

import re
from pathlib import Path

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.utils import translation

from tests.api import ApiClient, api_as, token_for
from tests.initiatives.factories import InitiativeFactory

pytestmark = pytest.mark.django_db
SCHEMA = Path(__file__).resolve().parents[2] / "docs" / "api" / "openapi.yaml"
REGENERATE = "python manage.py spectacular --validate --fail-on-warn --file docs/api/openapi.yaml"


def test_a_read_carries_an_etag_and_answers_304_while_it_has_not_changed(world):
    initiative = InitiativeFactory(organization=world.org, name="Early Years")
    api = api_as(world.roundtable, world.org)
    first = api.get("/api/v1/initiatives/")
    assert first.status_code == 200 and first["ETag"]
    assert "private" in first["Cache-Control"] and "no-cache" in first["Cache-Control"]
    same = api.get("/api/v1/initiatives/", headers={"If-None-Match": first["ETag"]})
    assert same.status_code == 304
    assert same.content == b""
    other_tag = api.get("/api/v1/initiatives/", headers={"If-None-Match": '"an-old-tag"'})
    assert other_tag.status_code == 200
    initiative.name = "Early Years Roundtable"
    initiative.save()
    changed = api.get("/api/v1/initiatives/", headers={"If-None-Match": first["ETag"]})
    assert changed.status_code == 200
    assert changed["ETag"] != first["ETag"]
    assert changed.json()["results"][0]["name"] == "Early Years Roundtable"


def test_each_token_has_its_own_rate_limit(world, settings):
    settings.API_RATE_LIMIT = "3/minute"
    cache.clear()
    first = api_as(world.coordinator, world.org)
    second = api_as(world.coordinator, world.org)
    assert [first.get("/api/v1/initiatives/").status_code for _ in range(3)] == [200] * 3
    limited = first.get("/api/v1/initiatives/")
    assert limited.status_code == 429
    assert limited.json()["error"]["code"] == "throttled"
    assert int(limited["Retry-After"]) > 0
    assert second.get("/api/v1/initiatives/").status_code == 200


def test_lists_are_paginated_and_filtered(world):
    for n in range(7):
        InitiativeFactory(organization=world.org, name=f"Initiative {n}", phase="pre_launch")
    InitiativeFactory(organization=world.org, name="Later", phase="initiate_action")
    api = api_as(world.admin, world.org)
    page = api.get("/api/v1/initiatives/", {"page_size": 5}).json()
    assert page["count"] == 8 and len(page["results"]) == 5 and page["next"]
    rest = api.get("/api/v1/initiatives/", {"page_size": 5, "page": 2}).json()
    assert len(rest["results"]) == 3 and rest["previous"]
    names = {r["name"] for r in page["results"] + rest["results"]}
    assert len(names) == 8
    filtered = api.get("/api/v1/initiatives/", {"phase": "initiate_action"}).json()
    assert [r["name"] for r in filtered["results"]] == ["Later"]
    assert api.get("/api/v1/initiatives/", {"page": 9}).status_code == 404


def test_bad_ids_and_unknown_urls_are_400_and_404_in_the_one_shape(world):
    api = api_as(world.admin, world.org)
    for url, status in [
        ("/api/v1/values/?indicator=abc", 400),
        ("/api/v1/values/?indicator=99999999999999999999", 400),
        ("/api/v1/values/123456789/", 404),
        ("/api/v1/indicators/1.5/series/", 404),
    ]:
        answer = api.get(url)
        assert answer.status_code == status, url
        if answer["Content-Type"] == "application/json":
            assert answer.json()["error"]["status"] == status
    refused = api.post("/api/v1/values/", {"indicator": "x"})
    assert refused.status_code in (400, 403)
    bad_json = api.client.post("/api/v1/contacts/", "{not json", content_type="application/json")
    assert bad_json.status_code == 400
    assert bad_json.json()["error"]["code"] == "parse_error"


def test_errors_speak_the_organizations_language(world):
    world.org.language = "fr"
    world.org.save()
    answer = api_as(world.partner, world.org).get("/api/v1/contacts/")
    assert answer.status_code == 403
    assert "permission" in answer.json()["error"]["message"].lower()
    assert answer.json()["error"]["message"] != "You do not have permission to perform this action."


def test_the_checked_in_schema_is_the_one_the_code_generates(tmp_path):
    generated = tmp_path / "openapi.yaml"
    with translation.override("en"):
        call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(generated))
    assert generated.read_text() == SCHEMA.read_text(), (
        f"The API changed: regenerate its schema with `{REGENERATE}` and commit it."
    )


def test_the_documentation_page_is_served_without_inline_script_or_cdn(world, client):
    page = client.get("/api/docs/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "swagger" in html.lower()
    scripts = re.findall(r"<script([^>]*)>", html)
    assert scripts and all("src=" in attributes for attributes in scripts)
    assert "cdn" not in html.lower() and "//unpkg" not in html
    for src in re.findall(r'src="([^"]+)"', html):
        assert src.startswith("/"), src
    schema = client.get("/api/schema/")
    assert schema.status_code == 200 and b"/api/v1/values/" in schema.content
    # The documentation reads the schema; the data needs a token.
    assert ApiClient(None).get("/api/v1/indicators/").status_code == 401
    assert (
        ApiClient(token_for(world.admin, world.org)).get("/api/v1/indicators/").status_code == 200
    )
