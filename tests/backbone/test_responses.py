"""What every answer of the app carries: pages of an organization are never cached by a
shared cache, and a refusal is logged as one line, not a traceback."""

import logging

from django.test import override_settings
from django.views.defaults import server_error


def test_an_organization_page_is_private_and_not_stored(world, login):
    response = login(world.coordinator).get("/o/riverside/")
    assert response.status_code == 200
    cache_control = response["Cache-Control"]
    assert "private" in cache_control and "no-store" in cache_control


def test_a_page_outside_organizations_is_left_as_it_is(client):
    assert "no-store" not in client.get("/").get("Cache-Control", "")


def test_a_refusal_is_logged_as_one_line(world, login, caplog):
    with caplog.at_level(logging.WARNING, logger="django.request"):
        response = login(world.partner).get("/o/riverside/members/invite/")
    assert response.status_code == 403
    refused = [r for r in caplog.records if r.name == "django.request"]
    assert refused, "the refusal is still logged"
    assert all(r.exc_info is None and "\n" not in r.getMessage() for r in refused)
    assert "Forbidden" in refused[0].getMessage()


def test_the_refusal_page_says_what_to_do_next(world, login):
    body = login(world.partner).get("/o/riverside/members/invite/").content.decode()
    assert "You don't have access to this" in body
    assert 'href="/"' in body


@override_settings(DEBUG=False)
def test_the_not_found_page_is_ours(world, login):
    response = login(world.coordinator).get("/o/riverside/initiatives/999999/")
    assert response.status_code == 404
    body = response.content.decode()
    assert "We can't find this page" in body and "<main" in body


def test_the_error_page_renders_without_a_database_or_a_user(rf):
    response = server_error(rf.get("/o/riverside/"))
    assert response.status_code == 500
    assert "Something went wrong on our side" in response.content.decode()


def test_every_page_forbids_inline_scripts(world, login, client):
    for response in (client.get("/"), login(world.coordinator).get("/o/riverside/")):
        policy = dict(
            part.strip().split(" ", 1) for part in response["Content-Security-Policy"].split(";")
        )
        assert policy["script-src"] == "'self'"
        assert policy["object-src"] == "'none'" and policy["frame-ancestors"] == "'none'"
