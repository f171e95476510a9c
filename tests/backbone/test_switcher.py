from backbone.models import Role

from ..factories import MembershipFactory


def test_a_person_in_two_organizations_switches_from_the_header(world, login):
    MembershipFactory(user=world.coordinator, organization=world.other_org, role=Role.ROUNDTABLE)
    body = login(world.coordinator).get("/o/riverside/").content.decode()
    assert 'href="/o/northbay/"' in body
    assert "Northbay Alliance" in body
    assert 'href="/o/riverside/" aria-current="true"' in body


def test_home_lists_organizations_when_there_are_several(world, login):
    MembershipFactory(user=world.coordinator, organization=world.other_org, role=Role.ROUNDTABLE)
    body = login(world.coordinator).get("/").content.decode()
    assert "Riverside Collective" in body and "Northbay Alliance" in body


def test_home_goes_straight_to_the_only_organization(world, login):
    response = login(world.partner).get("/")
    assert response["Location"] == "/o/riverside/"


def test_someone_without_organization_is_offered_to_create_one(db, login):
    from ..factories import UserFactory

    body = login(UserFactory()).get("/").content.decode()
    assert "Create an organization" in body


def test_anonymous_visitors_see_the_landing_page(client, db):
    body = client.get("/").content.decode()
    assert "collective impact" in body.lower()
    assert 'href="/accounts/signup/"' in body


def test_the_organization_nav_follows_the_role(world, login):
    admin_page = login(world.admin).get("/o/riverside/").content.decode()
    partner_page = login(world.partner).get("/o/riverside/").content.decode()
    assert 'href="/o/riverside/settings/"' in admin_page
    assert 'href="/o/riverside/settings/"' not in partner_page
    assert 'href="/o/riverside/members/"' not in partner_page
    for area in ("initiatives", "stakeholders", "measures", "plans"):
        assert f'href="/o/riverside/{area}/"' in partner_page
