import datetime

from django_scopes import scope

from initiatives.models import Initiative, Phase, PhaseTransition, ReadinessItem

from ..stakeholders.factories import PartnerMembershipFactory
from .factories import InitiativeFactory, InitiativePartnerFactory, ReadinessItemFactory
from .helpers import assert_refused

BASE = "/o/riverside/initiatives"


def test_a_coordinator_starts_an_initiative_with_its_matrix_and_deliverables(world, login):
    response = login(world.coordinator).post(
        f"{BASE}/new/",
        {
            "name": "Ready by Five",
            "issue": "Children start school ready to learn",
            "geography": "East end",
            "start_date": "2027-02-01",
            "description": "",
        },
    )
    with scope(organization=world.org):
        initiative = Initiative.objects.get(name="Ready by Five")
        assert initiative.deliverables.count() == 5
        assert ReadinessItem.objects.filter(initiative=initiative).count() > 16
    assert response["Location"] == f"{BASE}/{initiative.pk}/"
    page = login(world.coordinator).get(response["Location"]).content.decode()
    assert "Ready by Five" in page and "I. Pre-launch" in page


def test_an_initiative_without_a_name_or_with_a_bad_date_is_refused_next_to_the_field(world, login):
    response = login(world.coordinator).post(
        f"{BASE}/new/", {"name": "", "issue": "Poverty", "start_date": "32/13/2027"}
    )
    assert_refused(response, 'id="id_name_error"', 'id="id_start_date_error"')
    with scope(organization=world.org):
        assert not Initiative.objects.exists()


def test_archived_initiatives_leave_the_list_but_keep_their_page(world, login):
    initiative = InitiativeFactory(organization=world.org, name="Old roundtable")
    InitiativeFactory(organization=world.org, name="Current roundtable")
    client = login(world.coordinator)
    archived = client.post(f"{BASE}/{initiative.pk}/archive/", follow=True).content.decode()
    assert "it left the lists and keeps all its data" in archived
    with scope(organization=world.org):
        initiative.refresh_from_db()
    assert initiative.archived_at is not None
    listing = client.get(f"{BASE}/").content.decode()
    assert "Current roundtable" in listing and "Old roundtable" not in listing
    assert "Old roundtable" in client.get(f"{BASE}/?archived=on").content.decode()
    assert "Archived" in client.get(f"{BASE}/{initiative.pk}/").content.decode()
    client.post(f"{BASE}/{initiative.pk}/archive/", follow=True)
    assert "Old roundtable" in client.get(f"{BASE}/").content.decode()


def test_the_list_filters_by_phase_and_searches(world, login):
    InitiativeFactory(organization=world.org, name="Poverty roundtable", geography="Downtown")
    InitiativeFactory(
        organization=world.org,
        name="Ready by Five",
        issue="Early childhood",
        phase=Phase.INITIATE_ACTION,
    )
    client = login(world.roundtable)
    by_phase = client.get(f"{BASE}/?phase=initiate_action").content.decode()
    assert "Ready by Five" in by_phase and "Poverty roundtable" not in by_phase
    by_search = client.get(f"{BASE}/?q=downtown").content.decode()
    assert "Poverty roundtable" in by_search and "Ready by Five" not in by_search
    fragment = client.get(f"{BASE}/?q=childhood", HTTP_HX_REQUEST="true").content.decode()
    assert fragment.lstrip().startswith('<div id="results"')
    assert "Ready by Five" in fragment


def test_the_phase_form_refuses_a_skip_with_a_message_next_to_the_field(world, login):
    initiative = InitiativeFactory(organization=world.org)
    response = login(world.coordinator).post(
        f"{BASE}/{initiative.pk}/phase/", {"to_phase": Phase.SUSTAINING_IMPACT, "note": ""}
    )
    assert_refused(response, "Phases can&#x27;t be skipped")
    with scope(organization=world.org):
        initiative.refresh_from_db()
        assert initiative.phase == Phase.PRE_LAUNCH


def test_advancing_through_the_form_asks_to_confirm_open_items_then_shows_the_timeline(
    world, login
):
    initiative = InitiativeFactory(organization=world.org)  # a factory initiative has no items
    ReadinessItemFactory(initiative=initiative, text="Core team is formed")
    client = login(world.coordinator)
    url = f"{BASE}/{initiative.pk}/phase/"
    refused = client.post(url, {"to_phase": Phase.INITIATE_ACTION, "note": "Ready"})
    assert_refused(refused, "1 readiness items of this phase are still open")
    client.post(url, {"to_phase": Phase.INITIATE_ACTION, "note": "Ready", "confirm": "on"})
    page = client.get(f"{BASE}/{initiative.pk}/").content.decode()
    assert "Advanced:" in page
    assert "1 readiness item was still open" in page
    assert "Core team is formed" in page
    with scope(organization=world.org):
        transition = PhaseTransition.objects.get()
    assert transition.by == world.coordinator


def test_readers_see_no_edit_buttons_and_cannot_edit(world, login):
    initiative = InitiativeFactory(organization=world.org)
    client = login(world.roundtable)
    page = client.get(f"{BASE}/{initiative.pk}/").content.decode()
    assert initiative.name in page
    assert "Change the phase" not in page and "Edit details" not in page
    assert client.get(f"{BASE}/new/").status_code == 403
    assert (
        client.post(f"{BASE}/{initiative.pk}/phase/", {"to_phase": "initiate_action"}).status_code
        == 403
    )
    coordinator_page = login(world.coordinator).get(f"{BASE}/{initiative.pk}/").content.decode()
    assert "Change the phase" in coordinator_page and "Edit details" in coordinator_page


def test_a_partner_sees_only_the_initiatives_their_partner_joins(world, login):
    link = PartnerMembershipFactory(
        membership=world.membership(world.partner), organization=world.org
    )
    joined = InitiativeFactory(organization=world.org, name="Joined roundtable")
    InitiativePartnerFactory(initiative=joined, partner=link.partner)
    other = InitiativeFactory(organization=world.org, name="Other roundtable")
    client = login(world.partner)
    listing = client.get(f"{BASE}/").content.decode()
    assert "Joined roundtable" in listing and "Other roundtable" not in listing
    assert client.get(f"{BASE}/{joined.pk}/").status_code == 200
    assert client.get(f"{BASE}/{other.pk}/").status_code == 404
    assert client.get(f"{BASE}/{other.pk}/risks/").status_code == 404
    home = client.get(f"{BASE}/overview/").content.decode()
    assert "Joined roundtable" in home and "Other roundtable" not in home


def test_editing_keeps_what_was_saved_when_the_input_is_bad(world, login):
    initiative = InitiativeFactory(organization=world.org, name="Kept name")
    response = login(world.coordinator).post(
        f"{BASE}/{initiative.pk}/edit/",
        {"name": "", "issue": "x", "start_date": datetime.date(2027, 1, 1).isoformat()},
    )
    assert response.status_code == 422
    with scope(organization=world.org):
        initiative.refresh_from_db()
    assert initiative.name == "Kept name"
