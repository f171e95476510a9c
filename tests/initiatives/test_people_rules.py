"""The rules of taking part, reached without HTTP: participation, roles and the level
history, filters, and the system map with who may see whose names."""

import pytest
from django.core.exceptions import ValidationError
from django_scopes import scope, scopes_disabled

from initiatives import services
from initiatives.models import (
    EngagementLevel,
    LevelChange,
    ParticipantRole,
)
from initiatives.selectors import (
    PeopleFilters,
    people_view_for,
    system_map,
)
from initiatives.selectors import participants as participants_of
from stakeholders.models import Sector

from ..stakeholders.factories import ContactFactory, PartnerFactory
from .factories import (
    InitiativePartnerFactory,
    ParticipationFactory,
)


def test_a_person_takes_part_in_several_roles_and_their_level_history_is_kept(world, initiative):
    contact = ContactFactory(organization=world.org, first_name="Amira")
    with scope(organization=world.org):
        participation = services.participation_add(
            initiative=initiative,
            contact=contact,
            roles=[ParticipantRole.CHAMPION, ParticipantRole.ROUNDTABLE],
            level=EngagementLevel.CONSULT,
        )
        services.participation_update(
            participation=participation,
            roles=[ParticipantRole.ROUNDTABLE, ParticipantRole.AMBASSADOR],
            level=EngagementLevel.COLLABORATE,
        )
        participation.refresh_from_db()
        roles = sorted(participation.roles.values_list("role", flat=True))
        history = list(
            LevelChange.objects.filter(participation=participation)
            .order_by("at", "id")
            .values_list("from_level", "to_level")
        )
    assert roles == ["ambassador", "roundtable"]
    assert participation.level == EngagementLevel.COLLABORATE
    assert history == [("", "consult"), ("consult", "collaborate")]


def test_adding_a_person_twice_keeps_one_participation(world, initiative):
    contact = ContactFactory(organization=world.org)
    with scope(organization=world.org):
        first = services.participation_add(initiative=initiative, contact=contact, roles=[])
        second = services.participation_add(
            initiative=initiative, contact=contact, roles=["volunteer"]
        )
        assert first.pk == second.pk
        assert initiative.participations.count() == 1


def test_a_contact_of_another_organization_cannot_take_part(world, initiative):
    stranger = ContactFactory(organization=world.other_org)
    with scopes_disabled(), pytest.raises(ValidationError):
        services.participation_add(initiative=initiative, contact=stranger, roles=[])


def test_people_filter_by_role_level_sector_and_lived_experience(world, initiative):
    # Last names fixed: a random one could match the search for "ros" (Ross, Cross…).
    lived = ContactFactory(
        organization=world.org,
        first_name="Rosa",
        last_name="Delgado",
        sector=Sector.COMMUNITY,
        lived_experience=True,
    )
    banker = ContactFactory(
        organization=world.org, first_name="Bill", last_name="Smith", sector=Sector.BUSINESS
    )
    with scope(organization=world.org):
        services.participation_add(
            initiative=initiative, contact=lived, roles=["champion"], level="empower"
        )
        services.participation_add(
            initiative=initiative, contact=banker, roles=["work_group"], level="inform"
        )
        view = people_view_for(world.membership(world.coordinator))

        def names(**kw):
            return [
                p.contact.first_name for p in participants_of(initiative, view, PeopleFilters(**kw))
            ]

        assert names(role="champion") == ["Rosa"]
        assert names(level="inform") == ["Bill"]
        assert names(sector="business") == ["Bill"]
        assert names(lived_experience=True) == ["Rosa"]
        assert names(q="ros") == ["Rosa"]


def test_system_map_shows_gaps_and_who_is_at_the_table(world, initiative):
    health = PartnerFactory(organization=world.org, name="Riverside Health", sector=Sector.HEALTH)
    InitiativePartnerFactory(initiative=initiative, partner=health)
    nurse = ContactFactory(
        organization=world.org, first_name="Nell", partner=health, sector=Sector.HEALTH
    )
    ParticipationFactory(
        initiative=initiative,
        contact=ContactFactory(organization=world.org, first_name="Gus", sector=Sector.GOVERNMENT),
        level=EngagementLevel.INVOLVE,
    )
    with scope(organization=world.org):
        staff_map = system_map(initiative, people_view_for(world.membership(world.coordinator)))
    rows = {row.sector: row for row in staff_map.rows}
    assert rows["health"].partners == ["Riverside Health"]
    assert rows["health"].partner_staff.names == [nurse.full_name]
    involve = [v for v, _l in staff_map.levels].index("involve")
    assert rows["government"].cells[involve].count == 1
    assert {row.sector for row in staff_map.gaps} == set(Sector.values) - {"health", "government"}
    assert staff_map.lived_experience == 0


def test_partner_users_see_counts_but_only_their_own_partners_names_on_the_map(world, initiative):
    from ..stakeholders.factories import PartnerMembershipFactory

    mine = PartnerFactory(organization=world.org, sector=Sector.NON_PROFIT)
    PartnerMembershipFactory(
        membership=world.membership(world.partner), organization=world.org, partner=mine
    )
    InitiativePartnerFactory(initiative=initiative, partner=mine)
    ParticipationFactory(
        initiative=initiative,
        contact=ContactFactory(
            organization=world.org, first_name="Mine", partner=mine, sector=Sector.NON_PROFIT
        ),
    )
    ParticipationFactory(
        initiative=initiative,
        contact=ContactFactory(
            organization=world.org, first_name="Other", sector=Sector.NON_PROFIT
        ),
    )
    with scope(organization=world.org):
        partner_map = system_map(initiative, people_view_for(world.membership(world.partner)))
    row = next(r for r in partner_map.rows if r.sector == "non_profit")
    assert row.cells[0].count == 2
    assert [n.split()[0] for n in row.cells[0].names] == ["Mine"]
