"""Partner onboarding in one flow: staff invite from the partner's page (name and e-mail,
the partner already chosen); accepting links the membership to that partner and lands on
what it owes; the inviter is notified."""

import re

import pytest
from django.core import mail
from django_scopes import scope, scopes_disabled

from backbone.models import Invitation, Membership, Notification, Role, User
from stakeholders.models import PartnerMembership

from ..backbone.accounts import sign_up
from .factories import PartnerFactory


@pytest.fixture
def food_bank(world):
    return PartnerFactory(organization=world.org, name="Riverside Food Bank")


def invite(client, partner, email="sam@foodbank.test", name="Sam Rivera", **kwargs):
    return client.post(
        f"/o/riverside/stakeholders/partners/{partner.pk}/invite/",
        {"email": email, "name": name},
        **kwargs,
    )


@pytest.mark.parametrize("role", [Role.ADMIN, Role.COORDINATOR])
def test_staff_invite_a_partner_user_from_the_partners_page(
    world, login, food_bank, role, settings, django_capture_on_commit_callbacks
):
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "backbone.example.org"]
    client = login(world.member(role))
    page = client.get(f"/o/riverside/stakeholders/partners/{food_bank.pk}/").content.decode()
    assert "Invite someone to report for Riverside Food Bank" in page
    assert "on the Members page" not in page
    with django_capture_on_commit_callbacks(execute=True):
        response = invite(client, food_bank, HTTP_HOST="backbone.example.org")
    assert response.status_code == 302
    invitation = Invitation.objects.get(email="sam@foodbank.test")
    assert (invitation.role, invitation.partner_id, invitation.name) == (
        Role.PARTNER,
        food_bank.pk,
        "Sam Rivera",
    )
    (message,) = mail.outbox
    assert (
        "Riverside Collective" in message.subject and "Riverside Collective" in message.from_email
    )
    body = message.body
    assert "Hello Sam Rivera" in body
    assert (
        "You will report for Riverside Food Bank" in body
        and "what Riverside Food Bank owes" in body
    )
    # The link is on the site the inviter uses, never a default host.
    assert re.search(r"http://backbone\.example\.org/invite/\S+/", body)
    assert "127.0.0.1" not in body
    html = message.alternatives[0][0]
    assert "Riverside Food Bank" in html and 'href="http://backbone.example.org/invite/' in html


@pytest.mark.parametrize("role", [Role.PARTNER, Role.ROUNDTABLE])
def test_others_may_not_invite(world, login, food_bank, role):
    assert invite(login(world.member(role)), food_bank).status_code == 403
    assert not Invitation.objects.exists()


def test_another_organizations_partner_is_not_found(world, login):
    elsewhere = PartnerFactory(organization=world.other_org)
    assert invite(login(world.coordinator), elsewhere).status_code == 404


def test_a_bad_address_is_shown_again_with_422(world, login, food_bank):
    response = invite(login(world.coordinator), food_bank, email="not-an-address")
    assert response.status_code == 422
    assert not Invitation.objects.exists()


def test_accepting_links_to_the_partner_lands_on_what_it_owes_and_tells_the_inviter(
    world, login, client, food_bank, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        invite(login(world.coordinator), food_bank)
    path = re.search(r"/invite/\S+/", mail.outbox[0].body).group(0)
    client.get(path)
    sign_up(client, "sam@foodbank.test", next_url=path, first_name="Sam", last_name="Rivera")
    response = client.post(path)
    assert response["Location"] == "/o/riverside/measures/?welcome=1"
    user = User.objects.get(email="sam@foodbank.test")
    assert user.display_name == "Sam Rivera"
    membership = Membership.objects.get(user=user, organization=world.org)
    assert membership.role == Role.PARTNER
    with scope(organization=world.org):
        assert PartnerMembership.objects.get(membership=membership).partner == food_bank
    page = client.get(response["Location"]).content.decode()
    assert "Welcome: you report for Riverside Food Bank" in page
    assert "What Riverside Food Bank owes" in page
    assert "not linked to a partner organization" not in page
    with scopes_disabled():
        (note,) = Notification.objects.filter(kind="invitation_accepted")
    assert note.user == world.coordinator
    assert note.title == "Sam Rivera accepted your invitation and joined as Partner"


def test_the_invitation_and_sign_up_pages_say_who_invites_them_to_report_for_which_partner(
    world, login, client, food_bank, django_capture_on_commit_callbacks
):
    world.coordinator.first_name, world.coordinator.last_name = "Maya", "Chen"
    world.coordinator.save()
    with django_capture_on_commit_callbacks(execute=True):
        invite(login(world.coordinator), food_bank, name="Sam de la Rivera")
    path = re.search(r"/invite/\S+/", mail.outbox[0].body).group(0)
    welcome = "Maya Chen of Riverside Collective invites you to report for Riverside Food Bank."
    assert welcome in client.get(path).content.decode()
    # The sign-up form comes prefilled with the name and address the coordinator gave.
    signup = client.get(f"/accounts/signup/?next={path}")
    assert welcome in signup.content.decode()
    form = signup.context["form"]
    assert (form["email"].value(), form["first_name"].value(), form["last_name"].value()) == (
        "sam@foodbank.test",
        "Sam",
        "de la Rivera",
    )
