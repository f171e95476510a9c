"""Partner organizations at an initiative's table: letting them in and out, and only
those of the organization."""

from django_scopes import scope

from ..stakeholders.factories import PartnerFactory, PartnerMembershipFactory
from .factories import InitiativeFactory
from .helpers import assert_refused

BASE = "/o/riverside/initiatives"


def test_a_coordinator_lets_a_partner_in_and_out_of_an_initiative(world, login):
    link = PartnerMembershipFactory(
        membership=world.membership(world.partner), organization=world.org
    )
    initiative = InitiativeFactory(organization=world.org, name="Ready by Five")
    partner_client = login(world.partner)
    assert partner_client.get(f"{BASE}/{initiative.pk}/").status_code == 404

    coordinator = login(world.coordinator)
    response = coordinator.post(
        f"{BASE}/{initiative.pk}/partners/", {"partner": link.partner.pk, "role": "partner"}
    )
    assert response.status_code == 302
    page = coordinator.get(f"{BASE}/{initiative.pk}/governance/").content.decode()
    assert f"{link.partner.name} takes part as Partner." in page
    assert partner_client.get(f"{BASE}/{initiative.pk}/").status_code == 200

    with scope(organization=world.org):
        joined = initiative.partner_links.get()
    coordinator.post(f"{BASE}/initiative-partners/{joined.pk}/remove/")
    assert partner_client.get(f"{BASE}/{initiative.pk}/").status_code == 404


def test_a_partner_of_another_organization_cannot_join(world, login):
    stranger = PartnerFactory(organization=world.other_org)
    initiative = InitiativeFactory(organization=world.org)
    response = login(world.coordinator).post(
        f"{BASE}/{initiative.pk}/partners/", {"partner": stranger.pk, "role": "partner"}
    )
    assert_refused(response, 'id="partner_partner_error"')
    with scope(organization=world.org):
        assert not initiative.partner_links.exists()
