"""The lists of initiatives (the overview's cards, the list, the actions due) are kept as
HTML (initiatives.list_cache): a second visit runs none of their queries, each kind of
write shows at the next visit, a partner user never reads another reader's entry, and a
new day or another language makes them afresh."""

import datetime

import pytest
from django.db import connection
from django.db.models.signals import post_save
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django_scopes import scope, scopes_disabled

from backbone.models import Organization
from backbone.stamped_cache import OrganizationStamp
from initiatives import list_cache, services
from initiatives.models import (
    Deliverable,
    EngagementLevel,
    Initiative,
    ParticipantRole,
    Participation,
    ParticipationRole,
    Risk,
    WorkStatus,
)

from ..stakeholders.factories import CapacityAssessmentFactory, ContactFactory, PartnerFactory
from .factories import (
    ActionItemFactory,
    InitiativeFactory,
    InitiativePartnerFactory,
    ParticipationFactory,
    RiskFactory,
)
from .helpers import link_partner_user, url

PAGES = ("overview", "index", "actions_due")


def visit(client, world, name: str, query: str = "") -> tuple[int, str]:
    """(queries reading initiatives or actions, the page's <main>)."""
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url(name, world.org) + query)
    assert response.status_code == 200
    html = response.content.decode()
    reading = [
        q
        for q in captured.captured_queries
        if 'FROM "initiatives_initiative"' in q["sql"]
        or 'FROM "initiatives_actionitem"' in q["sql"]
    ]
    return len(reading), html[html.index("<main") :]


def today(world) -> datetime.date:
    return timezone.localdate(timezone=world.org.tzinfo)


@pytest.mark.django_db
@pytest.mark.parametrize("name", PAGES)
def test_a_second_visit_reads_nothing_again(world, login, name):
    InitiativeFactory(organization=world.org, name="Food Security")
    client = login(world.coordinator)
    first, first_html = visit(client, world, name)
    second, second_html = visit(client, world, name)
    assert first > 0
    assert second == 0
    assert second_html == first_html


@pytest.mark.django_db
def test_a_new_initiative_a_rename_and_an_archive_show_at_once(world, login, initiative):
    client = login(world.coordinator)
    for name in ("overview", "index"):
        assert "Poverty Reduction" in visit(client, world, name)[1]
    with scope(organization=world.org):
        services.initiative_create(
            organization=world.org,
            name="Housing First",
            issue="Homelessness",
            start_date=datetime.date(2027, 2, 1),
        )
    for name in ("overview", "index"):
        assert "Housing First" in visit(client, world, name)[1]
    with scope(organization=world.org):
        services.initiative_archive(initiative=initiative)
    for name in ("overview", "index"):
        assert "Poverty Reduction" not in visit(client, world, name)[1]


@pytest.mark.django_db
def test_a_deliverable_done_and_a_risk_show_at_once(world, login, initiative):
    client = login(world.coordinator)
    assert "0 / 5" in visit(client, world, "index")[1]
    assert "Flooded basement" not in visit(client, world, "overview")[1]
    with scope(organization=world.org):
        deliverable = Deliverable.objects.filter(initiative=initiative).first()
        services.deliverable_update(deliverable=deliverable, status=WorkStatus.DONE)
    with scopes_disabled():
        risk = RiskFactory(initiative=initiative, description="Flooded basement")
    assert "1 / 5" in visit(client, world, "index")[1]
    assert "Flooded basement" in visit(client, world, "overview")[1]
    with scopes_disabled():
        Risk.objects.get(pk=risk.pk).delete()
    assert "Flooded basement" not in visit(client, world, "overview")[1]


@pytest.mark.django_db
def test_an_action_due_its_lead_and_its_completion_show_at_once(world, login, initiative):
    client = login(world.coordinator)
    assert "Book the hall" not in visit(client, world, "actions_due")[1]
    with scopes_disabled():
        action = ActionItemFactory(
            initiative=initiative,
            title="Book the hall",
            due_date=today(world) - datetime.timedelta(days=1),
            lead__first_name="Amara",
        )
    html = visit(client, world, "actions_due")[1]
    assert "Book the hall" in html and "Amara" in html
    assert "1 action item is overdue" in visit(client, world, "overview")[1]
    with scopes_disabled():
        lead = action.lead
        lead.first_name = "Zora"
        lead.save()
    assert "Zora" in visit(client, world, "actions_due")[1]
    with scopes_disabled():
        action.status = WorkStatus.DONE
        action.save()
    assert "Book the hall" not in visit(client, world, "actions_due")[1]
    assert "action item is overdue" not in visit(client, world, "overview")[1]


@pytest.mark.django_db
def test_the_lists_fail_to_follow_a_write_without_the_listening(world, login, initiative):
    """The test above holds because of the receivers: with none, the kept page stays."""
    client = login(world.coordinator)
    visit(client, world, "index")
    disconnected = post_save.disconnect(
        sender=Initiative,
        dispatch_uid=f"{list_cache.LISTS.name}-initiatives.Initiative-save",
    )
    try:
        assert disconnected
        with scopes_disabled():
            initiative.name = "Renamed Roundtable"
            initiative.save()
        assert "Renamed Roundtable" not in visit(client, world, "index")[1]
    finally:
        list_cache.LISTS.listen([Initiative])
    with scopes_disabled():
        initiative.save()
    assert "Renamed Roundtable" in visit(client, world, "index")[1]


@pytest.mark.django_db
def test_a_partner_user_never_reads_another_readers_entry(world, login):
    ours = InitiativeFactory(organization=world.org, name="Shared Table")
    InitiativeFactory(organization=world.org, name="Staff Only Table")
    partner = PartnerFactory(organization=world.org)
    staff = login(world.coordinator)
    for name in ("overview", "index"):
        assert "Staff Only Table" in visit(staff, world, name)[1]
    partner_client = login(world.partner)
    for name in ("overview", "index"):
        assert "Table" not in visit(partner_client, world, name)[1]  # not linked yet
    link_partner_user(world, partner)
    InitiativePartnerFactory(initiative=ours, partner=partner)
    for name in ("overview", "index"):
        html = visit(partner_client, world, name)[1]
        assert "Shared Table" in html and "Staff Only Table" not in html
        assert "Staff Only Table" in visit(staff, world, name)[1]
    roundtable = login(world.roundtable)
    assert visit(roundtable, world, "index")[0] == 0  # staff and roundtable share an entry


@pytest.mark.django_db
def test_filters_pages_and_searches_are_kept_apart(world, login):
    for number in range(55):
        InitiativeFactory(organization=world.org, name=f"Table {number:02d}")
    client = login(world.coordinator)
    first = visit(client, world, "index")[1]
    second = visit(client, world, "index", "?page=2")[1]
    assert "Table 00" in first and "Table 54" not in first
    assert "Table 54" in second and "Table 00" not in second
    found = visit(client, world, "index", "?q=Table+07")[1]
    assert "Table 07" in found and "Table 08" not in found
    assert visit(client, world, "index", "?q=Table+07")[0] > 0  # a search is made afresh
    htmx = client.get(url("index", world.org) + "?page=2", headers={"HX-Request": "true"})
    assert htmx.content.decode().strip().startswith('<div id="results"')
    assert "Table 54" in htmx.content.decode()


@pytest.mark.django_db
def test_a_new_day_and_another_language_make_the_lists_afresh(world, login, initiative, clock):
    client = login(world.coordinator)
    with scopes_disabled():
        ActionItemFactory(initiative=initiative, title="Call the mayor", due_date=today(world))
    html = visit(client, world, "actions_due")[1]
    assert html.index("Call the mayor") > html.index('id="due-week"')
    clock.shift(datetime.timedelta(days=1))
    html = visit(client, world, "actions_due")[1]
    assert html.index("Call the mayor") < html.index('id="due-week"')  # overdue now
    english = visit(client, world, "index")[1]
    # update(): no save, no new stamp; only the language in the key tells the pages apart.
    Organization.objects.filter(pk=world.org.pk).update(language="fr")
    french = visit(client, world, "index")[1]
    assert "Deliverables done" in english
    assert "Deliverables done" not in french


def test_the_lists_listen_to_every_model_they_show():
    assert isinstance(list_cache.LISTS, OrganizationStamp)
    labels = {model._meta.label for model in list_cache.SHOWN}
    assert {
        "backbone.Organization",
        "initiatives.Initiative",
        "initiatives.InitiativePartner",
        "stakeholders.PartnerMembership",
        "initiatives.ReadinessItem",
        "initiatives.Deliverable",
        "initiatives.ActionItem",
        "initiatives.Risk",
        "stakeholders.Contact",
    } <= labels


# An initiative's people


def people_page(client, world, initiative, query: str = "") -> tuple[int, str]:
    """(queries reading participations, the page's <main>)."""
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url("people", world.org, initiative_id=initiative.pk) + query)
    assert response.status_code == 200
    html = response.content.decode()
    reading = [
        q for q in captured.captured_queries if 'FROM "initiatives_participation"' in q["sql"]
    ]
    return len(reading), html[html.index("<main") :]


@pytest.mark.django_db
def test_the_people_of_an_initiative_are_kept_and_each_change_shows_at_once(
    world, login, initiative
):
    client = login(world.coordinator)
    with scopes_disabled():
        person = ParticipationFactory(initiative=initiative, contact__first_name="Amara")
    first, html = people_page(client, world, initiative)
    assert first > 0 and "Amara" in html
    assert people_page(client, world, initiative)[0] == 0
    with scopes_disabled():
        ParticipationFactory(initiative=initiative, contact__first_name="Bongani")
    assert "Bongani" in people_page(client, world, initiative)[1]
    with scopes_disabled():
        ParticipationRole.objects.create(
            organization=world.org, participation=person, role=ParticipantRole.values[0]
        )
        label = ParticipantRole.choices[0][1]
    assert f'<span class="tag">{label}</span>' in people_page(client, world, initiative)[1]
    with scopes_disabled():
        person.level = EngagementLevel.EMPOWER
        person.save()
        contact = person.contact
        contact.first_name = "Chidi"
        contact.save()
    html = people_page(client, world, initiative)[1]
    assert "badge--level-empower" in html and "Chidi" in html and "Amara" not in html


@pytest.mark.django_db
def test_people_without_the_listening_would_stay_as_kept(world, login, initiative):
    client = login(world.coordinator)
    contact = ContactFactory(organization=world.org, first_name="Unseen")
    people_page(client, world, initiative)
    uid = f"{list_cache.PEOPLE.name}-initiatives.Participation-save"
    assert post_save.disconnect(sender=Participation, dispatch_uid=uid)
    try:
        with scopes_disabled():
            ParticipationFactory(initiative=initiative, contact=contact)
        assert "Unseen" not in people_page(client, world, initiative)[1]
    finally:
        list_cache.PEOPLE.listen([Participation])


@pytest.mark.django_db
def test_each_reader_sees_their_own_people_table(world, login, initiative):
    partner = PartnerFactory(organization=world.org, name="Harbour Credit Union")
    with scopes_disabled():
        ParticipationFactory(
            initiative=initiative, contact__first_name="Ours", contact__partner=partner
        )
        ParticipationFactory(initiative=initiative, contact__first_name="Theirs")
    InitiativePartnerFactory(initiative=initiative, partner=partner)
    link_partner_user(world, partner)
    staff = people_page(login(world.coordinator), world, initiative)[1]
    assert "Ours" in staff and "Theirs" in staff and "/participations/" in staff
    roundtable = people_page(login(world.roundtable), world, initiative)[1]
    assert "Theirs" in roundtable and "/participations/" not in roundtable
    own = people_page(login(world.partner), world, initiative)[1]
    assert "Ours" in own and "Theirs" not in own
    with scope(organization=world.org):
        services.initiative_archive(initiative=initiative)
    assert "/participations/" not in people_page(login(world.coordinator), world, initiative)[1]
    assert "Ours" in people_page(login(world.coordinator), world, initiative, "?q=Ours")[1]


@pytest.mark.django_db
def test_the_system_map_is_kept_and_follows_who_takes_part(world, login, initiative):
    client = login(world.coordinator)
    page = url("system_map", world.org, initiative_id=initiative.pk)
    assert "Harbour Credit Union" not in client.get(page).content.decode()
    partner = PartnerFactory(organization=world.org, name="Harbour Credit Union")
    InitiativePartnerFactory(initiative=initiative, partner=partner)
    html = client.get(page).content.decode()
    assert "Harbour Credit Union" in html
    with CaptureQueriesContext(connection) as captured:
        client.get(page)
    assert not [q for q in captured.captured_queries if "initiatives_participation" in q["sql"]]
    with scopes_disabled():
        ParticipationFactory(initiative=initiative, contact__lived_experience=True)
    html = client.get(page).content.decode()
    assert "Nobody with lived experience is at the table." not in html


@pytest.mark.django_db
def test_the_capacity_table_is_kept_and_a_new_assessment_shows_at_once(world, login, initiative):
    partner = PartnerFactory(organization=world.org, name="At the table")
    InitiativePartnerFactory(initiative=initiative, partner=partner)
    client = login(world.coordinator)
    page = url("capacity", world.org, initiative_id=initiative.pk)
    assert "Staff time: 1 needs help" not in client.get(page).text
    with CaptureQueriesContext(connection) as captured:
        client.get(page)
    assert not [q for q in captured.captured_queries if "capacityassessment" in q["sql"]]
    CapacityAssessmentFactory(organization=world.org, partner=partner, year=2026, staff_time=1)
    assert "Staff time: 1 needs help" in client.get(page).text
