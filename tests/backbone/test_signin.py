import re
import time

from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from django.conf import settings
from django.core import mail
from django.core.cache import caches

from backbone.models import User

from ..factories import PASSWORD, UserFactory
from .accounts import sign_up


def test_sign_up_with_email_sends_a_verification_link(client, db):
    response = sign_up(client, "Ada@Example.org")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/confirm-email/"
    user = User.objects.get(email__iexact="ada@example.org")
    assert "username" not in {f.name for f in User._meta.get_fields()}
    assert len(mail.outbox) == 1
    link = re.search(r"http://\S+/accounts/confirm-email/\S+/", mail.outbox[0].body).group(0)
    path = link.split("testserver", 1)[-1]
    assert client.post(path).status_code == 302
    assert user.emailaddress_set.get().verified


def test_an_unverified_address_can_not_log_in(client, db):
    UserFactory(email="unverified@example.org", verified=False)
    response = client.post(
        "/accounts/login/", {"login": "unverified@example.org", "password": PASSWORD}
    )
    assert response["Location"] == "/accounts/confirm-email/"
    assert "_auth_user_id" not in client.session


def test_log_in_with_email_and_password(client, world):
    response = client.post(
        "/accounts/login/", {"login": "partner@riverside.test", "password": PASSWORD}
    )
    assert response.status_code == 302
    assert int(client.session["_auth_user_id"]) == world.partner.pk


def test_a_wrong_password_gets_a_clear_message(client, world):
    response = client.post(
        "/accounts/login/", {"login": "partner@riverside.test", "password": "nope"}
    )
    assert response.status_code == 200
    assert "not correct" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_repeated_failures_are_rate_limited_in_a_real_cache(client, world):
    assert "DummyCache" not in settings.CACHES["default"]["BACKEND"]
    caches["default"].clear()
    for _ in range(5):
        client.post("/accounts/login/", {"login": "partner@riverside.test", "password": "nope"})
    response = client.post(
        "/accounts/login/", {"login": "partner@riverside.test", "password": PASSWORD}
    )
    assert "Too many failed login attempts" in response.content.decode()
    assert "_auth_user_id" not in client.session
    caches["default"].clear()


def test_password_reset_mails_a_link(client, world):
    client.post("/accounts/password/reset/", {"email": "partner@riverside.test"})
    assert len(mail.outbox) == 1
    assert "/accounts/password/reset/key/" in mail.outbox[0].body


def current_totp(secret: str) -> str:
    counter = int(time.time()) // 30
    return format_hotp_value(hotp_value(secret, counter))


def test_two_factor_authentication_is_set_up_and_then_asked_at_login(client, world):
    client.post("/accounts/login/", {"login": "admin@riverside.test", "password": PASSWORD})
    # Turning on 2FA asks for the password again first.
    assert client.get("/accounts/2fa/totp/activate/")["Location"].startswith(
        "/accounts/reauthenticate/"
    )
    client.post("/accounts/reauthenticate/", {"password": PASSWORD})
    assert client.get("/accounts/2fa/totp/activate/").status_code == 200
    secret = client.session["mfa.totp.secret"]
    response = client.post("/accounts/2fa/totp/activate/", {"code": current_totp(secret)})
    assert response.status_code == 302
    kinds = set(Authenticator.objects.filter(user=world.admin).values_list("type", flat=True))
    assert kinds == {Authenticator.Type.TOTP, Authenticator.Type.RECOVERY_CODES}

    client.post("/accounts/logout/")
    response = client.post(
        "/accounts/login/", {"login": "admin@riverside.test", "password": PASSWORD}
    )
    assert response["Location"] == "/accounts/2fa/authenticate/"
    assert "_auth_user_id" not in client.session
    # The same TOTP code can't be used twice; a recovery code gets in.
    recovery = Authenticator.objects.get(user=world.admin, type=Authenticator.Type.RECOVERY_CODES)
    code = RecoveryCodes(recovery).get_unused_codes()[0]
    client.post("/accounts/2fa/authenticate/", {"code": code})
    assert int(client.session["_auth_user_id"]) == world.admin.pk


def test_htmx_requests_carry_the_csrf_token(login, world):
    body = login(world.admin).get("/o/riverside/").content.decode()
    assert re.search(r"hx-headers='\{\"X-CSRFToken\": \"[A-Za-z0-9]+\"\}'", body)
    assert "/static/django_htmx/htmx" in body or "htmx" in body
