"""The header of every page is kept per process (backbone.shell): the HTML its template
writes, in both languages, escaped, and any change to what it shows seen at once."""

import re

import pytest
from django.contrib import messages
from django.contrib.messages.storage.fallback import FallbackStorage
from django.core.cache import caches
from django.template import RequestContext, Template
from django.test import Client
from django.utils import translation
from django_scopes import scopes_disabled

from backbone.models import Membership, Role
from backbone.notifications import Kind, notify
from backbone.services import membership_change_role

from ..factories import MembershipFactory, OrganizationFactory


def header(html: str) -> str:
    return re.search(r'<header class="site-header">.*?</header>', html, re.S).group(0)


def page_header(client, path="/o/riverside/") -> str:
    return header(client.get(path).content.decode())


def uncached_header(client, path="/o/riverside/") -> str:
    """The header as the template writes it (every kept fragment forgotten first)."""
    caches["shell"].clear()
    return page_header(client, path)


@pytest.mark.parametrize("language", ["en", "fr"])
def test_the_kept_header_is_what_the_template_writes_escaped(world, login, language):
    world.org.name = "R&D <script>alert(1)</script>"
    world.org.language = language
    world.org.save()
    world.coordinator.first_name = "<script>Jo & co"
    world.coordinator.save()
    MembershipFactory(user=world.coordinator, organization=world.other_org, role=Role.PARTNER)
    client = login(world.coordinator)
    fresh = uncached_header(client, "/o/riverside/members/")
    kept = page_header(client, "/o/riverside/members/")
    token = 'name="csrfmiddlewaretoken" value="[^"]+"'
    assert re.search(token, kept)
    assert re.sub(token, "T", kept) == re.sub(token, "T", fresh)
    assert "<script>" not in kept
    assert "R&amp;D &lt;script&gt;alert(1)&lt;/script&gt;" in kept
    assert "&lt;script&gt;Jo &amp; co" in kept
    assert ("Membres" if language == "fr" else "Members") in kept


def test_the_sign_out_form_carries_this_requests_token(world):
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.coordinator)
    for _ in range(2):  # rendered, then kept
        html = client.get("/o/riverside/").content.decode()
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', header(html)).group(1)
        assert f'"X-CSRFToken": "{token}"' in html
    response = client.post("/accounts/logout/", {"csrfmiddlewaretoken": token})
    assert response.status_code == 302
    assert client.get("/o/riverside/").status_code == 302  # signed out


def test_a_renamed_organization_is_shown_at_once(world, login):
    client = login(world.coordinator)
    assert "Riverside Collective" in page_header(client)
    world.org.name = "Riverside Together"
    world.org.save()
    kept = page_header(client)
    assert "Riverside Together" in kept and "Riverside Collective" not in kept


def test_a_new_organization_of_the_person_is_in_the_switcher_at_once(world, login):
    client = login(world.coordinator)
    assert "/o/northbay/" not in page_header(client)
    MembershipFactory(user=world.coordinator, organization=world.other_org, role=Role.PARTNER)
    assert 'href="/o/northbay/"' in page_header(client)


def test_a_renamed_other_organization_is_in_the_switcher_at_once(world, login):
    MembershipFactory(user=world.coordinator, organization=world.other_org, role=Role.PARTNER)
    client = login(world.coordinator)
    assert "Northbay Alliance" in page_header(client)
    world.other_org.name = "Northbay Together"
    world.other_org.save()
    assert "Northbay Together" in page_header(client)


def test_a_changed_role_changes_the_navigation_at_once(world, login):
    client = login(world.coordinator)
    assert 'href="/o/riverside/settings/"' not in page_header(client)
    with scopes_disabled():
        membership_change_role(membership=world.membership(world.coordinator), role=Role.ADMIN)
    assert 'href="/o/riverside/settings/"' in page_header(client)


def test_the_unread_count_and_the_current_area_follow_each_request(world, login):
    client = login(world.coordinator)
    assert 'data-unread="0"' in page_header(client)
    notify(
        organization=world.org,
        recipients=[world.coordinator],
        kind=Kind.JOB_FAILED,
        key="k",
        title="x",
    )
    assert 'data-unread="1"' in page_header(client)
    members = page_header(client, "/o/riverside/members/")
    assert '<a href="/o/riverside/members/" aria-current="page">' in members


def test_a_changed_name_is_in_the_account_menu_at_once(world, login):
    client = login(world.coordinator)
    page_header(client)
    world.coordinator.refresh_from_db()  # its switcher stamp as kept, unchanged by this save
    world.coordinator.first_name, world.coordinator.last_name = "Ada", "Lovelace"
    world.coordinator.save()
    assert "<summary>Ada Lovelace</summary>" in page_header(client)


def test_people_never_see_each_others_header(world, login):
    other = OrganizationFactory(name="Third Circle", slug="third")
    MembershipFactory(user=world.admin, organization=other, role=Role.ADMIN)
    page_header(login(world.admin))
    partners = page_header(login(world.partner))
    assert "Third Circle" not in partners
    assert 'href="/o/riverside/settings/"' not in partners
    with scopes_disabled():
        assert not Membership.objects.filter(user=world.partner, organization=other).exists()


def footer(html: str) -> str:
    return re.search(r'<footer class="site-footer">.*?</footer>', html, re.S).group(0)


def assets(html: str) -> str:
    return re.search(r'<link rel="stylesheet".*?backbone\.js[^>]*></script>', html, re.S).group(0)


@pytest.mark.parametrize("language", ["en", "fr"])
def test_the_kept_assets_and_footer_are_what_the_templates_write(world, login, language):
    world.org.language = language
    world.org.save()
    client = login(world.coordinator)
    caches["shell"].clear()
    fresh = client.get("/o/riverside/").content.decode()
    kept = client.get("/o/riverside/").content.decode()
    assert footer(kept) == footer(fresh) and assets(kept) == assets(fresh)
    assert ("Heures" if language == "fr" else "Times shown in") in footer(kept)
    assert 'rel="stylesheet"' in assets(kept) and "htmx" in assets(kept)


def test_a_changed_time_zone_is_in_the_footer_at_once(world, login):
    client = login(world.coordinator)
    assert "America/Toronto" in footer(client.get("/o/riverside/").content.decode())
    world.org.time_zone = "America/Vancouver"
    world.org.save()
    assert "America/Vancouver" in footer(client.get("/o/riverside/").content.decode())


@pytest.mark.parametrize("language", ["en", "fr"])
@pytest.mark.parametrize("texts", [[], ["Saved <script>alert(1)</script> & done", "Two"]])
def test_the_messages_are_what_their_template_writes(rf, language, texts):
    request = rf.get("/")
    request.session = {}
    request._messages = FallbackStorage(request)
    for text in texts:
        messages.success(request, text)
    ours = Template("{% site_messages %}")
    theirs = Template('{% include "components/messages.html" %}')
    with translation.override(language):
        html = ours.render(RequestContext(request))
        assert html == theirs.render(RequestContext(request))
    assert ("&lt;script&gt;" in html and "<script>" not in html) if texts else html == "\n"
