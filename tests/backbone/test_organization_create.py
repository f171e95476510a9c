import pytest

from backbone.models import Membership, Organization, Role


def create_organization(client, slug: str, *, name="Another", time_zone="America/Toronto"):
    return client.post(
        "/organizations/new/",
        {"name": name, "slug": slug, "time_zone": time_zone, "language": "en"},
    )


def test_a_signed_in_user_creates_an_organization_and_becomes_its_admin(world, login):
    client = login(world.outsider)
    response = create_organization(
        client, "lakeside", name="Lakeside Early Years", time_zone="America/Winnipeg"
    )
    org = Organization.objects.get(slug="lakeside")
    assert response.status_code == 302
    assert response["Location"] == "/o/lakeside/"
    assert org.time_zone == "America/Winnipeg"
    assert Membership.objects.get(organization=org).role == Role.ADMIN
    assert Membership.objects.get(organization=org).user == world.outsider


def test_a_taken_slug_is_refused_next_to_the_field(world, login):
    response = create_organization(login(world.outsider), "riverside")
    assert response.status_code == 422
    assert "already exists" in response.context["form"].errors["slug"][0]
    assert 'id="id_slug_error"' in response.content.decode()
    assert Organization.objects.filter(slug="riverside").count() == 1
    assert Organization.objects.filter(name="Another").count() == 0


def test_a_malformed_slug_is_refused_with_an_example(world, login):
    response = create_organization(login(world.outsider), "Not A Slug!")
    errors = response.context["form"].errors["slug"]
    assert any("letters" in e for e in errors)
    assert not Organization.objects.filter(name="Another").exists()


def test_a_reserved_slug_is_refused(world, login):
    response = create_organization(login(world.outsider), "admin")
    assert "reserved" in response.context["form"].errors["slug"][0]


def test_an_unknown_time_zone_is_refused(world, login):
    response = create_organization(login(world.outsider), "another", time_zone="Mars/Olympus")
    assert "time_zone" in response.context["form"].errors
    assert not Organization.objects.filter(slug="another").exists()


def test_anonymous_visitors_are_asked_to_log_in_first(client, db):
    response = client.get("/organizations/new/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_settings_change_name_time_zone_and_language(world, login):
    response = login(world.admin).post(
        "/o/riverside/settings/",
        {
            "name": "Riverside Collective Impact",
            "time_zone": "America/Halifax",
            "language": "fr",
            "newsletter_weekday": "4",
            "newsletter_hour": "7",
        },
    )
    assert response.status_code == 302
    world.org.refresh_from_db()
    assert (world.org.name, world.org.time_zone, world.org.language) == (
        "Riverside Collective Impact",
        "America/Halifax",
        "fr",
    )
    assert (world.org.newsletter_weekday, world.org.newsletter_hour) == (4, 7)


def test_only_admins_change_settings(world, login):
    response = login(world.coordinator).post(
        "/o/riverside/settings/", {"name": "Hijacked", "time_zone": "UTC", "language": "en"}
    )
    assert response.status_code == 403
    world.org.refresh_from_db()
    assert world.org.name == "Riverside Collective"


@pytest.mark.parametrize("name", ["Riverside\nCollective", "Riverside\rBcc: x@example.org"])
def test_a_name_with_a_line_break_is_refused_next_to_the_field(world, login, name):
    response = login(world.admin).post(
        "/o/riverside/settings/",
        {
            "name": name,
            "time_zone": "America/Toronto",
            "language": "en",
            "newsletter_weekday": 0,
            "newsletter_hour": 8,
        },
    )
    assert response.status_code == 422
    assert "one line" in response.content.decode()
    world.org.refresh_from_db()
    assert world.org.name == "Riverside Collective"
