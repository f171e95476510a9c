"""The profile page holds name, language and per-kind notification choices; sign-up asks
for a name, so that people are shown by name."""

from django.db import connection

from backbone.models import NotificationPreference, Role, User
from backbone.notifications import deliveries_for

from ..factories import MembershipFactory
from .accounts import sign_up


def test_sign_up_asks_for_a_name(db, client):
    page = client.get("/accounts/signup/").content.decode()
    assert 'name="first_name"' in page and 'name="last_name"' in page
    response = sign_up(client, "dana@example.org", first_name="", last_name="")
    assert response.status_code == 200 and not User.objects.filter(email="dana@example.org")
    sign_up(client, "dana@example.org", first_name="Dana", last_name="Lake")
    assert User.objects.get(email="dana@example.org").display_name == "Dana Lake"


def test_the_profile_saves_name_language_and_choices(world, login):
    client = login(world.coordinator)
    page = client.get("/accounts/profile/").content.decode()
    assert "Values were submitted for approval" in page and "Daily digest" in page
    data = {"first_name": "Casey", "last_name": "Cole", "language": "fr"}
    data |= {f"mail_{kind}": "now" for kind in deliveries_for(world.coordinator)}
    data["mail_values_submitted"] = "off"
    assert client.post("/accounts/profile/", data).status_code == 302
    world.coordinator.refresh_from_db()
    assert (world.coordinator.display_name, world.coordinator.language) == ("Casey Cole", "fr")
    chosen = deliveries_for(world.coordinator)
    assert chosen["values_submitted"] == "off" and chosen["draft_comment"] == "now"
    assert NotificationPreference.objects.filter(user=world.coordinator).count() == len(chosen)
    # The header shows the name.
    assert "Casey Cole" in client.get("/o/riverside/").content.decode()


def test_a_profile_without_a_first_name_answers_422(world, login):
    response = login(world.partner).post("/accounts/profile/", {"first_name": ""})
    assert response.status_code == 422


def test_the_profile_needs_a_signed_in_person(db, client):
    assert client.get("/accounts/profile/").status_code == 302


def test_the_profile_page_reads_the_persons_memberships_once(world, login):
    MembershipFactory(user=world.coordinator, organization=world.other_org, role=Role.PARTNER)
    client = login(world.coordinator)
    client.get("/accounts/profile/")
    queries = []
    with connection.execute_wrapper(lambda run, sql, *args: queries.append(sql) or run(sql, *args)):
        page = client.get("/accounts/profile/").content.decode()
    memberships = [sql for sql in queries if 'FROM "backbone_membership"' in sql]
    assert len(memberships) == 1, memberships
    token_select = page[page.index('name="membership"') :]
    token_select = token_select[: token_select.index("</select>")]
    assert "Northbay Alliance (Partner)" in token_select
    assert "Riverside Collective (Coordinator)" in token_select
    assert token_select.index("Northbay") < token_select.index("Riverside")  # by name
