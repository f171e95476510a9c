"""Each person's language (their profile's, else the organization's) is the language of
every mail sent to them: invitations (the inviter's choice), account mails, notifications
and digests, the staff's summaries. A message says which in its Content-Language header,
set from the language active while it was written."""

import re

from django.core import mail
from django.utils import translation
from django_scopes import scopes_disabled

from backbone.mail import language_for
from backbone.models import Invitation, Notification, User
from backbone.notifications import Kind, notifications_mail, notify

from ..factories import InvitationFactory, MembershipFactory, OrganizationFactory, UserFactory
from ..stakeholders.factories import PartnerFactory
from .accounts import sign_up


def language_of(message) -> str:
    return message.extra_headers["Content-Language"]


def test_a_persons_language_is_theirs_else_their_organizations(world):
    assert language_for(world.admin, world.org) == "en"
    world.org.language = "fr"
    assert language_for(world.admin, world.org) == "fr"
    world.admin.language = "en"
    assert language_for(world.admin, world.org) == "en"
    french = OrganizationFactory(language="fr")
    newcomer = UserFactory()
    MembershipFactory(user=newcomer, organization=french)
    assert language_for(newcomer) == "fr"  # no organization given: the one they belong to
    with translation.override("fr"):
        assert language_for(UserFactory()) == "fr"  # a stranger: the page's


def test_the_inviter_chooses_the_language_of_the_invitation(
    world, login, django_capture_on_commit_callbacks
):
    client = login(world.admin)
    page = client.get("/o/riverside/members/").content.decode()
    assert "Language of the invitation" in page and "The organization&#x27;s (English)" in page
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            "/o/riverside/members/invite/",
            {"email": "marie@example.org", "role": "roundtable", "language": "fr"},
        )
        client.post(
            "/o/riverside/members/invite/", {"email": "tom@example.org", "role": "roundtable"}
        )
    assert {m.to[0]: language_of(m) for m in mail.outbox} == {
        "marie@example.org": "fr",
        "tom@example.org": "en",
    }
    assert Invitation.objects.get(email="marie@example.org").language == "fr"


def test_a_partner_invitation_takes_a_language_too(
    world, login, django_capture_on_commit_callbacks
):
    food_bank = PartnerFactory(organization=world.org, name="Riverside Food Bank")
    with django_capture_on_commit_callbacks(execute=True):
        login(world.coordinator).post(
            f"/o/riverside/stakeholders/partners/{food_bank.pk}/invite/",
            {"email": "sam@foodbank.test", "name": "Sam Rivera", "language": "fr"},
        )
    (message,) = mail.outbox
    assert language_of(message) == "fr"


def test_a_bad_language_is_refused_on_the_form(world, login):
    response = login(world.admin).post(
        "/o/riverside/members/invite/",
        {"email": "marie@example.org", "role": "roundtable", "language": "xx"},
    )
    assert response.status_code == 422
    assert not Invitation.objects.exists()


def test_who_accepts_an_invitation_in_french_keeps_french_mail(world, client):
    InvitationFactory(
        organization=world.org, email="marie@example.org", token="tok-fr", language="fr"
    )
    client.get("/invite/tok-fr/")
    sign_up(client, "marie@example.org", next_url="/invite/tok-fr/")
    client.post("/invite/tok-fr/")
    assert User.objects.get(email="marie@example.org").language == "fr"


def test_account_mails_are_in_the_persons_language(world, client):
    world.roundtable.language = "fr"
    world.roundtable.save(update_fields=["language"])
    client.post("/accounts/password/reset/", {"email": world.roundtable.email})
    client.post("/accounts/password/reset/", {"email": world.coordinator.email})
    assert {m.to[0]: language_of(m) for m in mail.outbox} == {
        world.roundtable.email: "fr",
        world.coordinator.email: "en",
    }


def test_a_notification_is_written_and_mailed_in_each_recipients_language(world):
    world.partner.language = "fr"
    world.partner.save(update_fields=["language"])
    notify(
        organization=world.org,
        recipients=[world.partner, world.coordinator],
        kind=Kind.VALUE_RETURNED,  # mailed at once by default
        key="language-test",
        title=lambda: f"written in {translation.get_language()}",
    )
    with scopes_disabled():
        titles = dict(Notification.objects.values_list("user__email", "title"))
    assert titles == {
        world.partner.email: "written in fr",
        world.coordinator.email: "written in en",
    }
    notifications_mail(organization=world.org)
    assert {m.to[0]: language_of(m) for m in mail.outbox} == {
        world.partner.email: "fr",
        world.coordinator.email: "en",
    }
    assert all(re.search(r"written in (fr|en)", m.subject) for m in mail.outbox)
