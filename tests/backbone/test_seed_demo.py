from django.core.management import call_command
from django_scopes import scopes_disabled

from backbone.models import ApiToken, Membership, Notification, Organization, Role, User
from stakeholders.models import PartnerMembership
from tests.api import ApiClient


def counts():
    return (Organization.objects.count(), User.objects.count(), Membership.objects.count())


def test_seed_demo_creates_the_demo_world_and_a_second_run_changes_nothing(db, capsys):
    call_command("seed_demo")
    first = counts()
    out = capsys.readouterr().out
    assert "admin@riverside.example" in out and "backbone-demo" in out
    call_command("seed_demo")
    assert counts() == first
    with scopes_disabled():
        riverside = Organization.objects.get(slug="riverside")
        northbay = Organization.objects.get(slug="northbay")
    roles = dict(
        Membership.objects.filter(organization=riverside).values_list("user__email", "role")
    )
    assert roles == {
        "admin@riverside.example": Role.ADMIN,
        "coordinator@riverside.example": Role.COORDINATOR,
        "partner@riverside.example": Role.PARTNER,
        "roundtable@riverside.example": Role.ROUNDTABLE,
    }
    assert (
        Membership.objects.get(organization=northbay).user.email == "coordinator@northbay.example"
    )


def test_seed_demo_prints_a_working_api_token_for_the_partner_user(db, capsys):
    call_command("seed_demo")
    call_command("seed_demo")
    out = capsys.readouterr().out
    line = next(
        line
        for line in out.splitlines()
        if "partner@riverside.example  " in line and "bbk_" in line
    )
    secret = line.split()[-1]
    assert ApiToken.objects.filter(membership__user__email="partner@riverside.example").count() == 1
    api = ApiClient(secret)
    values = api.get("/api/v1/values/").json()["results"]
    assert values, "the demo partner has values to read"
    with scopes_disabled():
        food_bank = PartnerMembership.objects.get(
            membership__user__email="partner@riverside.example"
        ).partner
    assert {v["partner"] for v in values} == {food_bank.pk}
    assert api.get("/api/v1/contacts/").status_code == 403


def test_demo_users_log_in_with_the_demo_password(db, client):
    call_command("seed_demo")
    response = client.post(
        "/accounts/login/", {"login": "coordinator@riverside.example", "password": "backbone-demo"}
    )
    assert response.status_code == 302
    assert client.get("/").headers["Location"] == "/o/riverside/"


def test_the_demo_rings_each_roles_bell(db):
    """The demo's events notified whom the services would have: the partner of its returned
    value, the staff of its submissions and the roundtable comment, the roundtable of the
    adopted plan; a second run adds none."""
    call_command("seed_demo")
    with scopes_disabled():
        first = Notification.objects.count()
        kinds = set(
            Notification.objects.filter(organization__slug="riverside").values_list(
                "user__email", "kind"
            )
        )
    assert {
        ("partner@riverside.example", "value_returned"),
        ("coordinator@riverside.example", "values_submitted"),
        ("coordinator@riverside.example", "draft_comment"),
        ("roundtable@riverside.example", "plan_adopted"),
    } <= kinds
    call_command("seed_demo")
    with scopes_disabled():
        assert Notification.objects.count() == first
