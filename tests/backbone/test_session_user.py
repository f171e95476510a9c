"""backbone.middleware.session_user: the user of the session, as django.contrib.auth.get_user
finds it (the same checks of the session's auth hash), read more cheaply."""

from importlib import import_module

from django.conf import settings
from django.contrib.auth import HASH_SESSION_KEY, SESSION_KEY, get_user
from django.db import connection
from django.test import RequestFactory
from django.urls import reverse

from backbone.middleware import session_user
from backbone.notifications import Kind, notify


def request_with_session(client):
    engine = import_module(settings.SESSION_ENGINE)
    request = RequestFactory().get("/")
    request.session = engine.SessionStore(client.cookies[settings.SESSION_COOKIE_NAME].value)
    return request


def both(client):
    """What session_user and Django's get_user find, each from a fresh copy of the session."""
    return session_user(request_with_session(client)), get_user(request_with_session(client))


def test_the_signed_in_user_is_found_as_django_finds_them(world, login):
    client = login(world.coordinator)
    ours, djangos = both(client)
    assert ours == djangos == world.coordinator
    assert ours.is_authenticated and ours.email == djangos.email
    assert ours.switcher_stamp == djangos.switcher_stamp


def test_it_reads_the_user_in_one_query(world, login, django_assert_num_queries):
    request = request_with_session(login(world.coordinator))
    request.session.load()
    with django_assert_num_queries(1):
        assert session_user(request) == world.coordinator


def test_a_visitor_without_a_session_is_anonymous(db, client):
    client.get("/")
    request = RequestFactory().get("/")
    request.session = import_module(settings.SESSION_ENGINE).SessionStore()
    assert not session_user(request).is_authenticated


def test_a_changed_password_signs_the_session_out_and_flushes_it(world, login):
    client = login(world.coordinator)
    world.coordinator.set_password("a new one, elsewhere")
    world.coordinator.save()
    request = request_with_session(client)
    assert not session_user(request).is_authenticated
    assert SESSION_KEY not in request.session  # flushed, as Django does
    assert not get_user(request_with_session(client)).is_authenticated
    assert client.get(reverse("profile")).status_code == 302  # to the sign-in


def test_a_tampered_hash_signs_the_session_out(world, login):
    client = login(world.coordinator)
    request = request_with_session(client)
    request.session[HASH_SESSION_KEY] = "0" * 64
    request.session.save()
    assert not session_user(request_with_session(client)).is_authenticated


def test_an_inactive_user_is_anonymous(world, login):
    client = login(world.coordinator)
    world.coordinator.is_active = False
    world.coordinator.save()
    ours, djangos = both(client)
    assert not ours.is_authenticated and not djangos.is_authenticated


def test_a_session_of_an_unknown_backend_is_anonymous(world, login, settings):
    client = login(world.coordinator)
    settings.AUTHENTICATION_BACKENDS = ["allauth.account.auth_backends.AuthenticationBackend"]
    request = request_with_session(client)
    assert request.session["_auth_user_backend"] == "django.contrib.auth.backends.ModelBackend"
    assert not session_user(request).is_authenticated


def test_a_session_signed_with_a_fallback_key_is_kept_under_the_new_key(world, login, settings):
    settings.SECRET_KEY = "the-old-secret-" + "x" * 40
    client = login(world.coordinator)
    settings.SECRET_KEY = "the-new-secret-" + "y" * 40
    settings.SECRET_KEY_FALLBACKS = ["the-old-secret-" + "x" * 40]
    request = request_with_session(client)
    old_key = request.session.session_key
    assert session_user(request) == world.coordinator
    assert request.session.session_key != old_key  # cycled, as Django does
    assert request.session[HASH_SESSION_KEY] == world.coordinator.get_session_auth_hash()
    settings.SECRET_KEY_FALLBACKS = []
    assert not session_user(request_with_session(client)).is_authenticated


def test_pages_know_the_user_and_signing_out_works(world, login):
    client = login(world.coordinator)
    assert client.get(reverse("profile")).status_code == 200
    client.post(reverse("account_logout"))
    assert client.get(reverse("profile")).status_code == 302


def test_signing_in_with_a_password_works(world, client, settings):
    world.coordinator.set_password("a long enough password 42")
    world.coordinator.save()
    response = client.post(
        reverse("account_login"),
        {"login": world.coordinator.email, "password": "a long enough password 42"},
    )
    assert response.status_code == 302
    assert client.get(reverse("profile")).status_code == 200


def test_an_organizations_page_reads_the_user_and_membership_in_one_query(world, login):
    client = login(world.coordinator)
    queries = []
    with connection.execute_wrapper(lambda run, sql, *args: queries.append(sql) or run(sql, *args)):
        assert client.get("/o/riverside/initiatives/new/").status_code == 200
    assert len(queries) == (1 if settings.SESSION_ENGINE.endswith("cached_db") else 2)


def test_on_an_organizations_page_the_same_checks_hold(world, login):
    client = login(world.coordinator)
    assert client.get("/o/northbay/").status_code == 404  # not a member
    assert client.get("/o/nowhere/").status_code == 404
    assert client.get("/o/riverside/").status_code == 200
    world.coordinator.set_password("changed elsewhere")
    world.coordinator.save()
    response = client.get("/o/riverside/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    outsider = login(world.outsider)
    assert outsider.get("/o/northbay/").status_code == 200
    outsider_user = type(world.outsider).objects.get(pk=world.outsider.pk)
    outsider_user.is_active = False
    outsider_user.save()
    assert outsider.get("/o/northbay/").status_code == 302


def test_the_membership_read_with_the_user_is_theirs_with_its_unread_count(world, login):
    notify(
        organization=world.org, recipients=[world.partner], kind=Kind.JOB_FAILED, key="k", title="x"
    )
    body = login(world.partner).get("/o/riverside/").content.decode()
    assert 'data-unread="1"' in body
    assert 'data-unread="0"' in login(world.admin).get("/o/riverside/").content.decode()
