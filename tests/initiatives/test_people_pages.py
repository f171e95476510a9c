"""The people pages: who takes part, filtered and paginated, the level history, the system
map; who sees whose names, and how many queries they take."""

from django_scopes import scopes_disabled

from initiatives.models import Participation
from stakeholders.models import Sector

from ..stakeholders.factories import ContactFactory, PartnerFactory
from .factories import InitiativePartnerFactory, ParticipationFactory
from .helpers import assert_same_queries_for_few_and_many, count_queries, link_partner_user, url


def _people(world, initiative, n):
    partner = PartnerFactory(organization=world.org)
    for i in range(n):
        ParticipationFactory(
            initiative=initiative,
            contact=ContactFactory(organization=world.org, partner=partner if i % 2 else None),
            level=["inform", "consult", "involve"][i % 3],
        )


def test_people_page_takes_the_same_queries_for_10_and_500_people(world, login, initiative):
    client = login(world.coordinator)
    path = url("people", world.org, initiative_id=initiative.pk)
    _people(world, initiative, 10)
    small = count_queries(client, path)
    _people(world, initiative, 490)
    large = count_queries(client, path)
    assert small == large
    assert b"Page 1 of 20" in client.get(path).content


def test_people_filter_answers_a_fragment_for_htmx(world, login, initiative):
    ParticipationFactory(
        initiative=initiative,
        contact=ContactFactory(organization=world.org, first_name="Rosa", lived_experience=True),
        level="empower",
    )
    ParticipationFactory(
        initiative=initiative, contact=ContactFactory(organization=world.org, first_name="Bill")
    )
    response = login(world.roundtable).get(
        url("people", world.org, initiative_id=initiative.pk) + "?level=empower",
        HTTP_HX_REQUEST="true",
    )
    body = response.content.decode()
    assert "Rosa" in body and "Bill" not in body
    assert "<html" not in body


def test_coordinator_adds_a_person_with_roles(world, login, initiative):
    contact = ContactFactory(organization=world.org, first_name="Amira")
    response = login(world.coordinator).post(
        url("people", world.org, initiative_id=initiative.pk),
        {"contact": contact.pk, "roles": ["champion", "roundtable"], "level": "involve"},
    )
    assert response.status_code == 302
    with scopes_disabled():
        participation = Participation.objects.get(initiative=initiative)
        assert sorted(participation.roles.values_list("role", flat=True)) == [
            "champion",
            "roundtable",
        ]
    assert participation.level == "involve"


def test_coordinator_changes_a_level(world, login, initiative):
    participation = ParticipationFactory(initiative=initiative, level="inform")
    response = login(world.coordinator).post(
        url("participation_edit", world.org, participation_id=participation.pk),
        {"roles": ["ambassador"], "level": "empower"},
    )
    assert response.status_code == 302
    with scopes_disabled():
        participation.refresh_from_db()
    assert participation.level == "empower"


def test_roundtable_reads_people_with_emails_but_cannot_add(world, login, initiative):
    ParticipationFactory(
        initiative=initiative,
        contact=ContactFactory(organization=world.org, email="rosa@example.org"),
    )
    client = login(world.roundtable)
    page = client.get(url("people", world.org, initiative_id=initiative.pk))
    assert b"rosa@example.org" in page.content
    assert b"Add a person" not in page.content
    contact = ContactFactory(organization=world.org)
    refused = client.post(
        url("people", world.org, initiative_id=initiative.pk),
        {"contact": contact.pk, "level": "inform"},
    )
    assert refused.status_code == 403


def test_partner_sees_names_of_their_own_partners_people_only_and_no_emails(
    world, login, initiative
):
    mine = PartnerFactory(organization=world.org, name="Food Bank")
    link_partner_user(world, mine)
    InitiativePartnerFactory(initiative=initiative, partner=mine)
    ParticipationFactory(
        initiative=initiative,
        contact=ContactFactory(
            organization=world.org, first_name="Colleague", partner=mine, email="col@fb.example"
        ),
    )
    ParticipationFactory(
        initiative=initiative,
        contact=ContactFactory(organization=world.org, first_name="Stranger", email="s@x.example"),
    )
    body = login(world.partner).get(url("people", world.org, initiative_id=initiative.pk))
    text = body.content.decode()
    assert "Colleague" in text
    assert "Stranger" not in text
    assert "col@fb.example" not in text and "s@x.example" not in text


def test_partner_of_another_initiative_gets_404(world, login, initiative):
    link_partner_user(world, PartnerFactory(organization=world.org))
    response = login(world.partner).get(url("people", world.org, initiative_id=initiative.pk))
    assert response.status_code == 404


def test_system_map_page_shows_gaps(world, login, initiative):
    ParticipationFactory(
        initiative=initiative,
        contact=ContactFactory(organization=world.org, sector=Sector.HEALTH),
    )
    body = login(world.roundtable).get(url("system_map", world.org, initiative_id=initiative.pk))
    text = body.content.decode()
    assert "Nobody from Faith is at the table." in text
    assert "Nobody with lived experience is at the table." in text
    assert "Nobody from Health" not in text


def test_the_level_history_shows_on_the_person_page(world, login, initiative):
    contact = ContactFactory(organization=world.org)
    client = login(world.coordinator)
    client.post(
        url("people", world.org, initiative_id=initiative.pk),
        {"contact": contact.pk, "level": "consult"},
    )
    with scopes_disabled():
        participation = Participation.objects.get(contact=contact)
    edit = url("participation_edit", world.org, participation_id=participation.pk)
    client.post(edit, {"level": "empower"})
    text = client.get(edit).content.decode()
    assert "Consult → Empower" in text


def test_the_system_map_takes_the_same_queries_for_few_and_many(world, login, initiative):
    client = login(world.roundtable)
    path = url("system_map", world.org, initiative_id=initiative.pk)

    def add_a_person_and_a_partner():
        ParticipationFactory(initiative=initiative)
        InitiativePartnerFactory(initiative=initiative)

    assert_same_queries_for_few_and_many(client, path, add_a_person_and_a_partner, many=30)


def test_strangers_get_404_on_the_engagement_pages(world, login, initiative):
    client = login(world.outsider)
    for name in ["people", "system_map", "events", "commitments", "stories"]:
        assert client.get(url(name, world.org, initiative_id=initiative.pk)).status_code == 404
