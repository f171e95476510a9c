import zoneinfo

import pytest
from django.contrib.auth.models import AnonymousUser
from django.http import Http404, HttpResponse
from django.test import RequestFactory
from django.utils import timezone, translation
from django_scopes import get_scope, scopes_disabled

from backbone.middleware import OrganizationMiddleware, _organization_slug
from backbone.models import Membership, Notification, Role
from backbone.notifications import Kind, notify
from backbone.services import membership_change_role, membership_remove


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


def _values(row):
    return {field.attname: getattr(row, field.attname) for field in row._meta.concrete_fields}


def test_the_membership_is_read_as_the_orm_reads_it(world, clock):
    world.org.time_zone = "America/Vancouver"
    world.org.language = "fr"
    world.org.save()
    for n in range(3):
        notify(
            organization=world.org,
            recipients=[world.partner],
            kind=Kind.JOB_FAILED,
            key=f"k{n}",
            title="x",
        )
    with scopes_disabled():
        Notification.objects.filter(key="k2").update(read_at=timezone.now())
    notify(
        organization=world.org, recipients=[world.admin], kind=Kind.JOB_FAILED, key="a", title="x"
    )
    _, seen = run_middleware("/o/riverside/members/", world.partner)
    ours = seen["membership"]
    with scopes_disabled():
        orm = Membership.objects.select_related("organization").get(
            user=world.partner, organization=world.org
        )
    assert _values(ours) == _values(orm) and ours.created_at.tzinfo is not None
    assert _values(ours.organization) == _values(orm.organization)
    assert ours.organization is seen["organization"] and ours.organization.tzinfo.key == (
        "America/Vancouver"
    )
    assert ours.unread_notifications == 2  # the read one, and the admin's, don't count
    assert not ours._state.adding and ours._state.db == orm._state.db


def test_a_member_removed_or_moved_loses_access_at_once(world, login):
    client = login(world.coordinator)
    assert client.get("/o/riverside/members/").status_code == 200
    membership = world.membership(world.coordinator)
    membership_change_role(membership=membership, role=Role.PARTNER)
    assert client.get("/o/riverside/members/").status_code == 403  # a partner may not
    membership_remove(membership=membership)
    assert client.get("/o/riverside/").status_code == 404
    assert client.get("/o/northbay/").status_code == 404


def test_the_organization_of_a_path_is_resolved_once_per_process(settings):
    urlconf = settings.ROOT_URLCONF
    assert _organization_slug(urlconf, "/o/riverside/members/") == "riverside"
    assert _organization_slug(urlconf, "/o/riverside/no-such-page/") is None
    assert _organization_slug(urlconf, "/accounts/profile/") is None
    hits = _organization_slug.cache_info().hits
    assert _organization_slug(urlconf, "/o/riverside/members/") == "riverside"
    assert _organization_slug.cache_info().hits == hits + 1


def test_a_path_of_no_page_under_an_organization_is_a_plain_404(world, client):
    assert client.get("/o/riverside/no-such-page/").status_code == 404  # not sent to sign in
