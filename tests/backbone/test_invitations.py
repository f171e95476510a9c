import re
from datetime import timedelta

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.utils import timezone

from backbone.models import Invitation, JobRun, Membership, Role, User, hash_token

from ..factories import PASSWORD, InvitationFactory, UserFactory
from .accounts import sign_up


def invite(client, email="new.person@example.org", role="coordinator"):
    return client.post("/o/riverside/members/invite/", {"email": email, "role": role})


def assert_gone(response, user, reason: str) -> None:
    """The invitation answered 410 Gone with `reason`, and `user` joined nothing."""
    assert response.status_code == 410
    assert reason in response.content.decode()
    assert not Membership.objects.filter(user=user).exists()


def link_from(message) -> str:
    return re.search(r"http://\S+/invite/(\S+)/", message.body).group(0)


def test_an_admin_invites_by_email_and_the_link_is_mailed(
    world, login, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = invite(login(world.admin))
    assert response.status_code == 302
    invitation = Invitation.objects.get(email="new.person@example.org")
    assert invitation.role == Role.COORDINATOR
    assert invitation.invited_by == world.admin
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["new.person@example.org"]
    assert "Riverside Collective" in mail.outbox[0].subject
    token = re.search(r"/invite/([^/\s]+)/", mail.outbox[0].body).group(1)
    # Only the hash is stored, never the token itself.
    assert invitation.token_hash == hash_token(token)
    assert token not in invitation.token_hash
    job = JobRun.objects.get(task_name="backbone.send_invitation")
    assert job.organization == world.org
    assert job.status == JobRun.Status.SUCCEEDED


def test_the_invitation_expires_after_seven_days(world, login):
    invite(login(world.admin))
    invitation = Invitation.objects.get(email="new.person@example.org")
    assert invitation.expires_at - invitation.created_at == pytest.approx(
        timedelta(days=7), abs=timedelta(seconds=5)
    )


@pytest.mark.parametrize("role", ["coordinator", "partner", "roundtable"])
def test_only_admins_may_invite(world, login, role):
    response = invite(login(world.member(role)))
    assert response.status_code == 403
    assert not Invitation.objects.exists()


def test_an_invalid_email_is_refused_next_to_the_field(world, login):
    response = invite(login(world.admin), email="not-an-email")
    assert response.status_code == 422
    assert "email" in response.context["invite_form"].errors
    assert not Invitation.objects.exists()


def test_inviting_an_existing_member_says_so(world, login):
    response = invite(login(world.admin), email="coordinator@riverside.test")
    assert response.status_code == 422
    assert "already a member" in response.content.decode()


def test_a_new_invitation_to_the_same_address_replaces_the_old(world, login):
    client = login(world.admin)
    invite(client)
    invite(client, role="roundtable")
    old, new = Invitation.objects.order_by("created_at")
    assert old.revoked_at is not None
    assert new.is_pending and new.role == Role.ROUNDTABLE


def test_a_new_person_signs_up_through_the_link_and_joins(world, client):
    InvitationFactory(
        organization=world.org, email="sam@example.org", role=Role.ROUNDTABLE, token="tok-sam"
    )
    page = client.get("/invite/tok-sam/")
    assert "Join Riverside Collective" in page.content.decode()
    response = sign_up(client, "sam@example.org", next_url="/invite/tok-sam/")
    # The link proved the address: no verification round-trip, straight back to the invitation.
    assert response.status_code == 302
    assert response["Location"] == "/invite/tok-sam/"
    response = client.post("/invite/tok-sam/")
    assert response["Location"] == "/o/riverside/"
    user = User.objects.get(email="sam@example.org")
    assert Membership.objects.get(user=user, organization=world.org).role == Role.ROUNDTABLE
    assert Invitation.objects.get(email="sam@example.org").accepted_by == user


def test_an_existing_user_logs_in_and_joins(world, client):
    person = UserFactory(email="lee@example.org")
    InvitationFactory(
        organization=world.org, email="lee@example.org", role=Role.PARTNER, token="tok-lee"
    )
    response = client.post(
        "/accounts/login/?next=/invite/tok-lee/", {"login": "lee@example.org", "password": PASSWORD}
    )
    assert response["Location"] == "/invite/tok-lee/"
    client.post("/invite/tok-lee/")
    assert Membership.objects.get(user=person, organization=world.org).role == Role.PARTNER


def test_an_invitation_works_only_once(world, login):
    InvitationFactory(organization=world.org, email="once@example.org", token="tok-once")
    first = UserFactory(email="once@example.org")
    login(first).post("/invite/tok-once/")
    second = UserFactory()
    assert_gone(login(second).post("/invite/tok-once/"), second, "already been used")


def test_an_expired_invitation_says_so(world, login):
    InvitationFactory(
        organization=world.org, token="tok-old", expires_at=timezone.now() - timedelta(minutes=1)
    )
    user = UserFactory()
    assert_gone(login(user).post("/invite/tok-old/"), user, "expired")


def test_a_tampered_link_says_it_is_not_valid(world, client):
    InvitationFactory(organization=world.org, token="tok-real")
    response = client.get("/invite/tok-reak/")
    assert response.status_code == 410
    assert "not valid" in response.content.decode()


def test_a_withdrawn_invitation_can_not_be_used(world, login):
    invitation = InvitationFactory(organization=world.org, token="tok-gone")
    login(world.admin).post(f"/o/riverside/invitations/{invitation.pk}/revoke/")
    invitation.refresh_from_db()
    assert invitation.revoked_at is not None
    response = login(UserFactory()).post("/invite/tok-gone/")
    assert response.status_code == 410
    assert "withdrawn" in response.content.decode()


def test_pending_invitations_are_listed_for_admins(world, login):
    InvitationFactory(organization=world.org, email="waiting@example.org")
    InvitationFactory(organization=world.other_org, email="elsewhere@example.org")
    body = login(world.admin).get("/o/riverside/members/").content.decode()
    assert "waiting@example.org" in body
    assert "elsewhere@example.org" not in body


def test_the_invitation_reaches_a_real_smtp_server(
    world, login, smtp_sink, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        invite(login(world.admin), email="over.smtp@example.org")
    [received] = smtp_sink.to("over.smtp@example.org")
    assert "Riverside Collective" in received.message["Subject"]
    assert "/invite/" in received.message.get_body(("plain",)).get_content()
    assert "/invite/" in received.message.get_body(("html",)).get_content()


def test_an_invitation_is_refused_to_someone_signed_in_with_another_address(world, login):
    InvitationFactory(
        organization=world.org, email="invited@example.org", role=Role.ADMIN, token="tok-bound"
    )
    stranger = UserFactory(email="stranger@example.org")
    client = login(stranger)
    page = client.get("/invite/tok-bound/").content.decode()
    assert "This invitation was sent to invited@example.org" in page
    assert "Accept and join" not in page
    response = client.post("/invite/tok-bound/")
    assert response.status_code == 403
    assert "This invitation was sent to invited@example.org" in response.content.decode()
    assert not Membership.objects.filter(user=stranger, organization=world.org).exists()
    assert Invitation.objects.get(email="invited@example.org").accepted_at is None


def test_an_invitation_is_accepted_with_a_verified_second_address_of_the_account(world, login):
    InvitationFactory(organization=world.org, email="work@example.org", token="tok-second")
    person = UserFactory(email="home@example.org")
    EmailAddress.objects.create(user=person, email="Work@Example.org", verified=True)
    login(person).post("/invite/tok-second/")
    assert Membership.objects.get(user=person, organization=world.org).role == Role.COORDINATOR


def test_an_unverified_second_address_is_not_enough(world, login):
    InvitationFactory(organization=world.org, email="work@example.org", token="tok-unverified")
    person = UserFactory(email="home@example.org")
    EmailAddress.objects.create(user=person, email="work@example.org", verified=False)
    assert login(person).post("/invite/tok-unverified/").status_code == 403
    assert not Membership.objects.filter(user=person, organization=world.org).exists()
