"""The empty add forms of an initiative's pages are kept as HTML (initiatives.form_cache):
a second visit lists the people and partners without reading them, a new person, partner
or deliverable shows in the pickers at once, the CSRF token is each request's own, and a
refused form shows what was typed."""

import re

import pytest
from django.db import connection
from django.db.models.signals import post_save
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django_scopes import scope, scopes_disabled

from backbone.models import Organization
from initiatives import form_cache, services
from initiatives.models import ActionItem, Phase
from stakeholders.models import Contact

from ..stakeholders.factories import ContactFactory, PartnerFactory
from .factories import (
    AttendanceFactory,
    DeliverableFactory,
    EngagementEventFactory,
    InitiativeFactory,
    ParticipationFactory,
)
from .helpers import url

TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
ANY_TOKEN = re.compile(r"[A-Za-z0-9]{64}")


@pytest.fixture
def initiative(world):
    with scopes_disabled():
        return InitiativeFactory(organization=world.org, name="Food Security")


def visit(client, world, name, initiative) -> tuple[int, str]:
    """(queries reading people, the page)."""
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url(name, world.org, initiative_id=initiative.pk))
    assert response.status_code == 200
    people = [q for q in captured.captured_queries if 'FROM "stakeholders_contact"' in q["sql"]]
    return len(people), response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize(
    "name", ["actions", "risks", "deliverables", "governance", "people", "commitments", "stories"]
)
def test_a_second_visit_lists_the_people_without_reading_them(world, login, initiative, name):
    partner = PartnerFactory(organization=world.org)
    ContactFactory(organization=world.org, first_name="Amara", last_name="Diallo", partner=partner)
    client = login(world.coordinator)
    first, first_html = visit(client, world, name, initiative)
    second, second_html = visit(client, world, name, initiative)
    assert "Amara Diallo" in first_html
    assert second < first
    assert ANY_TOKEN.sub("", second_html) == ANY_TOKEN.sub("", first_html)


@pytest.mark.django_db
def test_a_new_person_a_partner_and_a_deliverable_show_in_the_pickers_at_once(
    world, login, initiative
):
    client = login(world.coordinator)
    visit(client, world, "actions", initiative)
    visit(client, world, "funding", initiative)
    ContactFactory(organization=world.org, first_name="Zora", last_name="Neale")
    DeliverableFactory(initiative=initiative, title="Community report")
    PartnerFactory(organization=world.org, name="Harbour Credit Union")
    html = visit(client, world, "actions", initiative)[1]
    assert "Zora Neale" in html and "Community report" in html
    assert "Harbour Credit Union" in visit(client, world, "funding", initiative)[1]
    assert "Zora Neale" in visit(client, world, "people", initiative)[1]
    visit(client, world, "commitments", initiative)
    visit(client, world, "stories", initiative)
    partner = PartnerFactory(organization=world.org)
    ContactFactory(organization=world.org, first_name="Ines", last_name="Moreau", partner=partner)
    assert "Ines Moreau" in visit(client, world, "commitments", initiative)[1]
    assert "Ines Moreau" in visit(client, world, "stories", initiative)[1]


@pytest.mark.django_db
def test_someone_taking_part_leaves_the_people_picker_at_once(world, login, initiative):
    contact = ContactFactory(organization=world.org, first_name="Lena", last_name="Okafor")
    client = login(world.coordinator)
    option = re.compile(r'<option value="\d+"[^>]*>Lena Okafor')
    assert option.search(visit(client, world, "people", initiative)[1])
    with scopes_disabled():
        ParticipationFactory(initiative=initiative, contact=contact)
    html = visit(client, world, "people", initiative)[1]
    assert not option.search(html)  # an option no more
    assert "Lena Okafor</a>" in html  # a row of the table


@pytest.mark.django_db
def test_without_the_listening_a_new_person_would_not_show(world, login, initiative):
    """The test above holds because of the receivers: with none, the kept form stays."""
    client = login(world.coordinator)
    visit(client, world, "actions", initiative)
    uid = f"{form_cache.FORMS.name}-{Contact._meta.label}-save"
    assert post_save.disconnect(sender=Contact, dispatch_uid=uid)
    try:
        ContactFactory(organization=world.org, first_name="Unseen", last_name="Person")
        assert "Unseen Person" not in visit(client, world, "actions", initiative)[1]
    finally:
        form_cache.FORMS.listen([Contact])
    ContactFactory(organization=world.org, first_name="Seen", last_name="Person")
    assert "Unseen Person" in visit(client, world, "actions", initiative)[1]


@pytest.mark.django_db
def test_the_csrf_token_is_each_requests_own(world, initiative):
    first, second = Client(enforce_csrf_checks=True), Client(enforce_csrf_checks=True)
    first.force_login(world.coordinator)
    second.force_login(world.admin)
    page = url("actions", world.org, initiative_id=initiative.pk)
    tokens = {TOKEN.search(c.get(page).content.decode()).group(1) for c in (first, second)}
    assert len(tokens) == 2
    token = TOKEN.search(first.get(page).content.decode()).group(1)
    response = first.post(
        page, {"title": "Book the hall", "status": "not_started", "csrfmiddlewaretoken": token}
    )
    assert response.status_code == 302
    with scopes_disabled():
        assert ActionItem.objects.filter(initiative=initiative, title="Book the hall").exists()


@pytest.mark.django_db
def test_a_refused_form_shows_what_was_typed_and_the_next_empty_form_is_kept(
    world, login, initiative
):
    client = login(world.coordinator)
    page = url("actions", world.org, initiative_id=initiative.pk)
    visit(client, world, "actions", initiative)
    response = client.post(page, {"title": "", "description": "Typed & kept", "status": "x"})
    assert response.status_code == 422
    assert "Typed &amp; kept" in response.content.decode()
    assert "Typed &amp; kept" not in visit(client, world, "actions", initiative)[1]


@pytest.mark.django_db
def test_a_member_who_may_not_add_gets_no_form_and_languages_are_kept_apart(
    world, login, initiative
):
    assert 'name="title"' not in visit(login(world.roundtable), world, "actions", initiative)[1]
    client = login(world.coordinator)
    english = visit(client, world, "actions", initiative)[1]
    # update(): no save, no new stamp; only the language in the key tells the forms apart.
    Organization.objects.filter(pk=world.org.pk).update(language="fr")
    french = visit(client, world, "actions", initiative)[1]
    assert '<label for="add_due_date">Due date' in english
    assert '<label for="add_due_date">Due date' not in french


@pytest.mark.django_db
def test_governance_shows_a_new_sponsor_and_a_new_partner_at_once(world, login, initiative):
    client = login(world.coordinator)
    first = PartnerFactory(organization=world.org, name="Riverside Foundation")
    html = visit(client, world, "governance", initiative)[1]
    assert html.count(f'<option value="{first.pk}">Riverside Foundation</option>') == 2
    second = PartnerFactory(organization=world.org, name="Harbour Credit Union")
    with scopes_disabled():
        initiative.sponsor = first
        initiative.save()
    html = visit(client, world, "governance", initiative)[1]
    assert f'<option value="{first.pk}" selected>Riverside Foundation</option>' in html
    assert html.count(f'<option value="{second.pk}">Harbour Credit Union</option>') == 2


@pytest.mark.django_db
def test_a_refused_sponsor_form_shows_its_error(world, login, initiative):
    client = login(world.coordinator)
    visit(client, world, "governance", initiative)
    page = url("sponsor", world.org, initiative_id=initiative.pk)
    response = client.post(page, {"sponsor": "", "sponsor_seats": "many"})
    assert response.status_code == 422
    assert 'class="error"' in response.content.decode()


@pytest.mark.django_db
def test_the_event_pickers_follow_who_came_and_new_people_at_once(world, login, initiative):
    with scopes_disabled():
        event = EngagementEventFactory(initiative=initiative)
    amara = ContactFactory(organization=world.org, first_name="Amara", last_name="Diallo")
    client = login(world.coordinator)
    page = url("event", world.org, event_id=event.pk)
    option = re.compile(r'<option value="\d+"[^>]*>Amara Diallo')

    def picker() -> tuple[int, str]:
        with CaptureQueriesContext(connection) as captured:
            html = client.get(page).content.decode()
        reads = [q for q in captured.captured_queries if 'FROM "stakeholders_contact"' in q["sql"]]
        return len(reads), html

    first, html = picker()
    assert option.search(html) and 'id="walkin_first_name"' in html
    assert picker()[0] < first
    ContactFactory(organization=world.org, first_name="Zora", last_name="Neale")
    assert "Zora Neale" in picker()[1]
    with scopes_disabled():
        AttendanceFactory(event=event, contact=amara)
    assert not option.search(picker()[1])
    searched = client.get(page + "?q=Zora", headers={"HX-Request": "true"}).content.decode()
    assert "Zora Neale" in searched


@pytest.mark.django_db
def test_the_kept_phase_form_offers_the_next_phase_after_a_move(world, login, initiative):
    client = login(world.coordinator)
    detail = url("detail", world.org, initiative_id=initiative.pk)
    phases = list(Phase)
    html = client.get(detail).content.decode()
    assert f'<option value="{phases[1].value}" selected>' in html
    assert 'id="reflection_text"' in html
    readiness = client.get(url("readiness", world.org, initiative_id=initiative.pk)).text
    assert f'<option value="{phases[0].value}" selected>' in readiness
    with scope(organization=world.org):
        services.initiative_change_phase(
            initiative=initiative,
            to_phase=phases[1].value,
            by=world.coordinator,
            note="",
            confirm_open_items=True,
        )
    html = client.get(detail).content.decode()
    assert f'<option value="{phases[2].value}" selected>' in html
    # The readiness page's add form starts at the initiative's phase, the new one at once.
    readiness = client.get(url("readiness", world.org, initiative_id=initiative.pk)).text
    assert f'<option value="{phases[1].value}" selected>' in readiness


@pytest.mark.django_db
def test_an_edit_form_is_kept_for_the_row_as_stored_and_follows_each_change(
    world, login, initiative
):
    lead = ContactFactory(organization=world.org, first_name="Amara", last_name="Diallo")
    with scopes_disabled():
        action = ActionItem.objects.create(
            organization=world.org, initiative=initiative, title="Book the hall", lead=lead
        )
    client = login(world.coordinator)
    page = url("action_item_edit", world.org, action_item_id=action.pk)
    first = client.get(page).text
    assert 'value="Book the hall"' in first
    assert f'<option value="{lead.pk}" selected>Amara Diallo' in first
    with CaptureQueriesContext(connection) as captured:
        second = client.get(page).text
    assert not [q for q in captured.captured_queries if "stakeholders_contact" in q["sql"]]
    assert ANY_TOKEN.sub("", second) == ANY_TOKEN.sub("", first)
    with scopes_disabled():
        ActionItem.objects.filter(pk=action.pk).update(title="Book the bigger hall")
    assert 'value="Book the bigger hall"' in client.get(page).text  # its fingerprint changed
    lead.first_name = "Zora"
    lead.save()
    assert f'<option value="{lead.pk}" selected>Zora Diallo' in client.get(page).text
    inline = client.get(page, headers={"HX-Request": "true"}).text
    assert 'value="Book the bigger hall"' in inline and "Zora Diallo" in inline
