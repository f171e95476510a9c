import re

import pytest
from django.db import connection
from django.template import Context, Template
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from backbone.models import Membership, Role

from ..factories import MembershipFactory


def test_members_page_lists_the_organizations_people_only(world, login):
    body = login(world.coordinator).get("/o/riverside/members/").content.decode()
    for role in Role:
        assert f"{role.value}@riverside.test" in body
    assert "admin@northbay.test" not in body
    # A coordinator sees the list but no management controls.
    assert "Send invitation" not in body
    assert "Remove" not in body


def test_partners_do_not_see_the_member_list(world, login):
    assert login(world.partner).get("/o/riverside/members/").status_code == 403


def test_an_admin_changes_a_role_in_place_with_htmx(world, login):
    member = world.membership(world.roundtable)
    response = login(world.admin).post(
        f"/o/riverside/members/{member.pk}/role/", {"role": "coordinator"}, HTTP_HX_REQUEST="true"
    )
    body = response.content.decode()
    assert body.lstrip().startswith(f'<tr id="member-{member.pk}">')
    assert '<option value="coordinator" selected>' in body
    member.refresh_from_db()
    assert member.role == Role.COORDINATOR


@pytest.mark.parametrize(
    ("person", "new_role", "reason", "kept_role"),
    [
        # The last admin can not be demoted.
        ("admin", "coordinator", "at least one admin", Role.ADMIN),
        # A role that does not exist is refused.
        ("partner", "emperor", "valid choice", Role.PARTNER),
    ],
)
def test_a_refused_role_change_says_why_and_keeps_the_role(
    world, login, person, new_role, reason, kept_role
):
    member = world.membership(world.member(person))
    response = login(world.admin).post(
        f"/o/riverside/members/{member.pk}/role/", {"role": new_role}, HTTP_HX_REQUEST="true"
    )
    assert reason in response.content.decode()
    member.refresh_from_db()
    assert member.role == kept_role


def test_the_last_admin_can_not_be_removed(world, login):
    member = world.membership(world.admin)
    response = login(world.admin).post(f"/o/riverside/members/{member.pk}/remove/", follow=True)
    assert "at least one admin" in response.content.decode()
    assert Membership.objects.filter(pk=member.pk).exists()


def test_an_admin_removes_a_member(world, login):
    member = world.membership(world.partner)
    login(world.admin).post(f"/o/riverside/members/{member.pk}/remove/")
    assert not Membership.objects.filter(pk=member.pk).exists()
    assert login(world.partner).get("/o/riverside/").status_code == 404


def test_with_a_second_admin_the_first_may_step_down(world, login):
    Membership.objects.filter(user=world.coordinator, organization=world.org).update(
        role=Role.ADMIN
    )
    member = world.membership(world.admin)
    login(world.admin).post(f"/o/riverside/members/{member.pk}/role/", {"role": "roundtable"})
    member.refresh_from_db()
    assert member.role == Role.ROUNDTABLE


@pytest.mark.parametrize("role", ["coordinator", "partner", "roundtable"])
def test_non_admins_can_not_change_roles(world, login, role):
    member = world.membership(world.partner)
    response = login(world.member(role)).post(
        f"/o/riverside/members/{member.pk}/role/", {"role": "admin"}
    )
    assert response.status_code == 403
    member.refresh_from_db()
    assert member.role == Role.PARTNER


def members_page_queries(client) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get("/o/riverside/members/").status_code == 200
    return len(ctx.captured_queries)


def test_the_members_page_runs_a_fixed_number_of_queries(world, login):
    client = login(world.admin)
    few = members_page_queries(client)
    MembershipFactory.create_batch(30, organization=world.org)
    assert members_page_queries(client) == few


def test_a_role_changed_in_place_is_announced_to_the_live_region(world, login):
    member = world.membership(world.roundtable)
    world.roundtable.first_name, world.roundtable.last_name = "Rosa", "Round"
    world.roundtable.save()
    body = (
        login(world.admin)
        .post(
            f"/o/riverside/members/{member.pk}/role/",
            {"role": "coordinator"},
            HTTP_HX_REQUEST="true",
        )
        .content.decode()
    )
    assert re.search(
        r'<div id="saved-status" hx-swap-oob="innerHTML">.*Saved: Rosa Round is now Coordinator\.',
        body,
    )


@pytest.mark.parametrize("language", ["en", "fr"])
def test_the_role_options_are_what_the_template_loop_wrote(language):
    loop = Template(
        "{% for value, label in role_choices %}"
        '<option value="{{ value }}"{% if role == value %} selected{% endif %}>{{ label }}</option>'
        "{% endfor %}"
    )
    written = Template("{{ role|role_options:role_choices }}")
    tricky = [*Role.choices, ("<x>&", 'Tom & "<Jerry>"')]
    with translation.override(language):
        for role in [*Role.values, "<x>&", ""]:
            context = Context({"role": role, "role_choices": tricky})
            assert written.render(context) == loop.render(context)
        assert ("Administrateur" if language == "fr" else "Admin") in written.render(
            Context({"role": "admin", "role_choices": Role.choices})
        )
