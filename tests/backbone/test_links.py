from django.test import RequestFactory, override_settings

from backbone.links import absolute_url, org_url


def test_org_url_takes_the_organization_or_its_slug(world):
    assert org_url(world.org, "members") == "/o/riverside/members/"
    assert org_url("northbay", "member_role", membership_id=7) == "/o/northbay/members/7/role/"


@override_settings(SITE_URL="https://backbone.example/")
def test_absolute_url_joins_the_site_without_a_double_slash():
    assert absolute_url("/o/riverside/") == "https://backbone.example/o/riverside/"


@override_settings(SITE_URL="https://backbone.example/", ALLOWED_HOSTS=["people.example"])
def test_with_a_request_the_site_is_the_one_people_use():
    request = RequestFactory(HTTP_HOST="people.example").get("/")
    assert absolute_url("/invite/x/", request) == "http://people.example/invite/x/"
    assert absolute_url("/invite/x/") == "https://backbone.example/invite/x/"
