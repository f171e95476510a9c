from django.utils import timezone
from django_scopes import scope

from initiatives.selectors import initiatives_visible_to
from stakeholders.selectors import partner_of

from ..stakeholders.factories import PartnerMembershipFactory
from .factories import InitiativeFactory, InitiativePartnerFactory


def test_staff_and_roundtable_see_every_current_initiative(world):
    current = InitiativeFactory(organization=world.org)
    InitiativeFactory(organization=world.org, archived_at=timezone.now())
    InitiativeFactory(organization=world.other_org)
    with scope(organization=world.org):
        for user in (world.admin, world.coordinator, world.roundtable):
            assert list(initiatives_visible_to(world.membership(user))) == [current]


def test_a_partner_user_sees_only_initiatives_their_partner_joins(world):
    link = PartnerMembershipFactory(
        membership=world.membership(world.partner), organization=world.org
    )
    joined = InitiativeFactory(organization=world.org)
    InitiativePartnerFactory(initiative=joined, partner=link.partner)
    InitiativeFactory(organization=world.org)
    with scope(organization=world.org):
        membership = world.membership(world.partner)
        assert partner_of(membership) == link.partner
        assert list(initiatives_visible_to(membership)) == [joined]


def test_an_unlinked_partner_user_sees_none(world):
    InitiativeFactory(organization=world.org)
    with scope(organization=world.org):
        membership = world.membership(world.partner)
        assert partner_of(membership) is None
        assert list(initiatives_visible_to(membership)) == []
