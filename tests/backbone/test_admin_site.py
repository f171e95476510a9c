"""The Django admin sees every tenant, so it is for superusers with two-factor only, and
its sign-in is allauth's (rate limits, TOTP), never a form of its own."""

import pytest
from allauth.mfa.models import Authenticator

from ..factories import PASSWORD, UserFactory


def superuser(*, totp: bool):
    user = UserFactory(is_staff=True, is_superuser=True)
    if totp:
        Authenticator.objects.create(user=user, type=Authenticator.Type.TOTP, data={"secret": "x"})
    return user


@pytest.mark.django_db
def test_the_admin_sign_in_is_allauths(client):
    response = client.get("/admin/login/?next=/admin/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


@pytest.mark.django_db
def test_the_admins_own_login_form_signs_no_one_in(client):
    user = superuser(totp=True)
    client.post("/admin/login/", {"username": user.email, "password": PASSWORD})
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_a_superuser_with_two_factor_reaches_the_admin(client):
    client.force_login(superuser(totp=True))
    assert client.get("/admin/").status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize(
    "make",
    [lambda: superuser(totp=False), lambda: UserFactory(is_staff=True)],
    ids=["superuser without two-factor", "staff"],
)
def test_anyone_else_is_refused_with_a_reason(client, make):
    client.force_login(make())
    response = client.get("/admin/", follow=True)
    assert response.status_code == 403
    assert "two-factor" in response.content.decode()


def test_organization_members_are_refused(world, login):
    assert login(world.admin).get("/admin/", follow=True).status_code == 403
