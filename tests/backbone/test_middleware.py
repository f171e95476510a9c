import zoneinfo

import pytest
from django.contrib.auth.models import AnonymousUser
from django.http import Http404, HttpResponse
from django.test import RequestFactory
from django.utils import timezone, translation
from django_scopes import get_scope

from backbone.middleware import OrganizationMiddleware


def run_middleware(path, user):
    seen = {}

    def view(request):
        seen["scope"] = dict(get_scope())
        seen["tz"] = timezone.get_current_timezone()
        seen["lang"] = translation.get_language()
        seen["organization"] = request.organization
        seen["membership"] = request.membership
        return HttpResponse("ok")

    request = RequestFactory().get(path)
    request.user = user
    response = OrganizationMiddleware(view)(request)
    return response, seen


def test_it_activates_the_organizations_scope_time_zone_and_language(world):
    world.org.time_zone = "America/Vancouver"
    world.org.language = "fr"
    world.org.save()
    response, seen = run_middleware("/o/riverside/members/", world.coordinator)
    assert response.status_code == 200
    assert seen["scope"]["organization"] == world.org
    assert seen["scope"]["_enabled"] is True
    assert seen["tz"] == zoneinfo.ZoneInfo("America/Vancouver")
    assert seen["lang"] == "fr"
    assert seen["membership"].user == world.coordinator


def test_it_answers_404_to_a_member_of_another_organization(world):
    with pytest.raises(Http404):
        run_middleware("/o/riverside/members/", world.outsider)


def test_it_answers_404_for_an_organization_that_does_not_exist(world):
    with pytest.raises(Http404):
        run_middleware("/o/nowhere/", world.coordinator)


def test_it_sends_anonymous_visitors_to_log_in(world):
    response, seen = run_middleware("/o/riverside/", AnonymousUser())
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=/o/riverside/"
    assert seen == {}


def test_it_leaves_pages_outside_organizations_unscoped(world):
    response, seen = run_middleware("/", world.coordinator)
    assert response.status_code == 200
    assert seen["scope"] == {}
    assert seen["organization"] is None
