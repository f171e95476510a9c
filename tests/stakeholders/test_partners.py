import pytest
from django.urls import reverse
from django_scopes import scope

from backbone.models import Role
from stakeholders.models import Partner, PartnerMembership
from stakeholders.selectors import partner_of

from ..factories import MembershipFactory
from .factories import ContactFactory, PartnerFactory, PartnerMembershipFactory


def url(world, name, **kwargs):
    return reverse(f"stakeholders:{name}", kwargs={"org_slug": world.org.slug, **kwargs})


def test_the_partner_page_shows_the_people_who_work_there(world, login):
    partner = PartnerFactory(
        organization=world.org, name="Riverside Public Health", sector="health"
    )
    ContactFactory(organization=world.org, first_name="Hiro", last_name="Nguyen", partner=partner)
    ContactFactory(organization=world.org, first_name="Unrelated", partner=None)
    text = login(world.roundtable).get(url(world, "partner_detail", partner_id=partner.pk)).text
    assert "Riverside Public Health" in text and "Hiro Nguyen" in text
    assert "Unrelated" not in text
    assert "People who report for this partner" not in text  # staff only


def test_the_partner_list_filters_by_sector_and_counts_contacts(world, login):
    school = PartnerFactory(organization=world.org, name="School Board", sector="education")
    PartnerFactory(organization=world.org, name="Food Bank", sector="non_profit")
    ContactFactory(organization=world.org, partner=school)
    ContactFactory(organization=world.org, partner=school)
    text = login(world.coordinator).get(url(world, "partner_list"), {"sector": "education"}).text
    assert "School Board" in text and "Food Bank" not in text
    assert '<td class="num">2</td>' in text


def test_a_coordinator_adds_a_partner_and_a_duplicate_name_is_refused(world, login):
    client = login(world.coordinator)
    response = client.post(
        url(world, "partner_create"),
        {
            "name": "Confluence Credit Union",
            "sector": "business",
            "website": "confluencecu.example",
        },
    )
    assert response.status_code == 302
    again = client.post(
        url(world, "partner_create"), {"name": "confluence credit union", "sector": "business"}
    )
    assert again.status_code == 422
    assert "already in the registry" in again.text
    with scope(organization=world.org):
        assert Partner.objects.get().website == "https://confluencecu.example"


def test_a_partner_user_sees_only_their_own_partner(world, login):
    link = PartnerMembershipFactory(
        membership=world.membership(world.partner), organization=world.org
    )
    other = PartnerFactory(organization=world.org, name="Another Partner")
    client = login(world.partner)
    text = client.get(url(world, "partner_list")).text
    assert link.partner.name in text and "Another Partner" not in text
    assert client.get(url(world, "partner_detail", partner_id=link.partner.pk)).status_code == 200
    assert client.get(url(world, "partner_detail", partner_id=other.pk)).status_code == 404


def test_a_coordinator_links_a_partner_member_to_a_partner(world, login):
    food_bank = PartnerFactory(organization=world.org, name="Food Bank")
    page = login(world.coordinator).get(url(world, "partner_detail", partner_id=food_bank.pk)).text
    assert world.partner.email in page  # offered in the select
    response = login(world.coordinator).post(
        url(world, "partner_user_link", partner_id=food_bank.pk),
        {"membership": world.membership(world.partner).pk},
    )
    assert response.status_code == 302
    with scope(organization=world.org):
        assert partner_of(world.membership(world.partner)) == food_bank
    page = login(world.coordinator).get(url(world, "partner_detail", partner_id=food_bank.pk)).text
    assert "Unlink" in page


def test_linking_moves_a_partner_user_to_another_partner(world, login):
    link = PartnerMembershipFactory(
        membership=world.membership(world.partner), organization=world.org
    )
    library = PartnerFactory(organization=world.org, name="Library")
    login(world.admin).post(
        url(world, "partner_user_link", partner_id=library.pk),
        {"membership": world.membership(world.partner).pk},
    )
    with scope(organization=world.org):
        assert PartnerMembership.objects.get(pk=link.pk).partner == library


@pytest.mark.parametrize(
    ("who", "whom", "status"),
    [
        # Only members with the partner role can be linked.
        ("coordinator", lambda world: world.membership(world.roundtable), 422),
        # A member of another organization cannot be linked.
        (
            "coordinator",
            lambda world: MembershipFactory(organization=world.other_org, role=Role.PARTNER),
            422,
        ),
        # Roundtable members cannot link partner users.
        ("roundtable", lambda world: world.membership(world.partner), 403),
    ],
    ids=["not-a-partner-role", "other-organization", "by-roundtable"],
)
def test_a_partner_user_link_is_refused(world, login, who, whom, status):
    partner = PartnerFactory(organization=world.org)
    response = login(world.member(who)).post(
        url(world, "partner_user_link", partner_id=partner.pk), {"membership": whom(world).pk}
    )
    assert response.status_code == status
    with scope(organization=world.org):
        assert not PartnerMembership.objects.exists()


def test_unlinking_stops_a_partner_user_from_seeing_the_partner(world, login):
    link = PartnerMembershipFactory(
        membership=world.membership(world.partner), organization=world.org
    )
    login(world.coordinator).post(
        url(world, "partner_user_unlink", partner_id=link.partner.pk),
        {"membership": link.membership_id},
    )
    assert (
        login(world.partner)
        .get(url(world, "partner_detail", partner_id=link.partner.pk))
        .status_code
        == 404
    )
