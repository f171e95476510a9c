import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django_scopes import scope, scopes_disabled

from backbone.stamped_cache import bump_every
from stakeholders.models import ConsentStatus, Contact, Sector

from .factories import ContactFactory, PartnerFactory, PartnerMembershipFactory, TagFactory


def url(world, name, **kwargs):
    return reverse(f"stakeholders:{name}", kwargs={"org_slug": world.org.slug, **kwargs})


def test_the_contacts_page_lists_the_organizations_contacts_only(world, login):
    ContactFactory(organization=world.org, first_name="Aisha", last_name="Chen")
    ContactFactory(organization=world.other_org, first_name="Stranger", last_name="Elsewhere")
    response = login(world.roundtable).get(url(world, "index"))
    assert response.status_code == 200
    assert "Aisha Chen" in response.text
    assert "Stranger" not in response.text
    assert "Add a contact" not in response.text  # roundtable members read


def test_search_matches_name_email_and_partner(world, login):
    food_bank = PartnerFactory(organization=world.org, name="Riverside Food Bank")
    ContactFactory(organization=world.org, first_name="Aisha", last_name="Chen", email="a@x.org")
    ContactFactory(organization=world.org, first_name="Ben", last_name="Gill", partner=food_bank)
    ContactFactory(
        organization=world.org, first_name="Carl", last_name="Dubois", email="carl@dubois.ca"
    )
    client = login(world.coordinator)
    assert "Ben Gill" in client.get(url(world, "index"), {"q": "food"}).text
    assert "Aisha Chen" not in client.get(url(world, "index"), {"q": "food"}).text
    assert "Carl Dubois" in client.get(url(world, "index"), {"q": "dubois.ca"}).text
    assert "Aisha Chen" in client.get(url(world, "index"), {"q": "aisha chen"}).text


def test_filters_narrow_by_sector_lived_experience_tag_partner_and_consent(world, login):
    partner = PartnerFactory(organization=world.org)
    tag = TagFactory(organization=world.org, name="speaker")
    resident = ContactFactory(
        organization=world.org,
        first_name="Rosa",
        sector=Sector.COMMUNITY,
        lived_experience=True,
        consent=ConsentStatus.GIVEN,
    )
    with scopes_disabled():
        resident.tags.add(tag)
    ContactFactory(
        organization=world.org, first_name="Pierre", sector=Sector.HEALTH, partner=partner
    )
    client = login(world.coordinator)

    def names(**params):
        text = client.get(url(world, "index"), params).text
        return {n for n in ("Rosa", "Pierre") if n in text}

    assert names(sector="health") == {"Pierre"}
    assert names(lived_experience="yes") == {"Rosa"}
    assert names(lived_experience="no") == {"Pierre"}
    assert names(tag=tag.pk) == {"Rosa"}
    assert names(partner=partner.pk) == {"Pierre"}
    assert names(consent="given") == {"Rosa"}
    assert names() == {"Rosa", "Pierre"}


def test_htmx_filtering_returns_only_the_results_fragment(world, login):
    ContactFactory(organization=world.org, first_name="Aisha")
    response = login(world.coordinator).get(
        url(world, "index"), {"q": "Aisha"}, HTTP_HX_REQUEST="true"
    )
    assert 'id="contact-results"' in response.text
    assert "<html" not in response.text
    assert "Aisha" in response.text


def test_the_list_is_paginated_with_links_that_keep_the_filters(world, login):
    with scopes_disabled():
        for i in range(60):
            ContactFactory(
                organization=world.org,
                first_name=f"Person{i:02d}",
                last_name="Zed",
                sector=Sector.HEALTH,
            )
    response = login(world.coordinator).get(url(world, "index"), {"sector": "health"})
    assert "Page 1 of 2" in response.text
    assert "sector=health&amp;page=2" in response.text
    second = login(world.coordinator).get(url(world, "index"), {"sector": "health", "page": 2})
    assert second.text.count("Zed</a>") == 10


def add_contacts(world, count, start):
    partners = [PartnerFactory(organization=world.org) for _ in range(3)]
    tags = [TagFactory(organization=world.org) for _ in range(3)]
    with scopes_disabled():
        created = Contact.objects.bulk_create(
            [
                Contact(
                    organization=world.org,
                    first_name=f"P{i}",
                    email=f"p{i}@x.org",
                    sector=Sector.OTHER,
                    partner=partners[i % 3],
                )
                for i in range(start, start + count)
            ]
        )
        through = Contact.tags.through
        through.objects.bulk_create([through(contact_id=c.pk, tag=tags[c.pk % 3]) for c in created])


def list_queries(client, world, params):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url(world, "index"), params)
    assert response.status_code == 200
    return len(queries), response.text


@pytest.mark.parametrize("params", [{}, {"sector": "other", "q": "p"}], ids=["all", "filtered"])
def test_the_contacts_list_runs_the_same_number_of_queries_for_10_and_500(world, login, params):
    client = login(world.coordinator)
    add_contacts(world, 10, 0)
    small, text = list_queries(client, world, params)
    assert "10 contacts" in text
    add_contacts(world, 490, 10)
    large, text = list_queries(client, world, params)
    assert "500 contacts" in text
    assert small == large


def test_a_partner_users_list_runs_the_same_number_of_queries_for_10_and_500(world, login):
    link = PartnerMembershipFactory(
        membership=world.membership(world.partner), organization=world.org
    )
    client = login(world.partner)

    def add(count, start):
        with scopes_disabled():
            Contact.objects.bulk_create(
                [
                    Contact(
                        organization=world.org,
                        first_name=f"P{i}",
                        email=f"p{i}@x.org",
                        sector=Sector.OTHER,
                        partner=link.partner,
                    )
                    for i in range(start, start + count)
                ]
            )
        bump_every(world.org.pk)  # bulk inserts send no post_save: the app bumps by hand

    add(10, 0)
    small, text = list_queries(client, world, {})
    assert "10 contacts" in text
    add(490, 10)
    large, text = list_queries(client, world, {})
    assert "500 contacts" in text
    assert small == large


def test_the_partners_list_runs_the_same_number_of_queries_for_10_and_500(world, login):
    client = login(world.coordinator)
    with scopes_disabled():
        from stakeholders.models import Partner

        Partner.objects.bulk_create(
            [Partner(organization=world.org, name=f"Org {i}", sector="other") for i in range(10)]
        )
        with CaptureQueriesContext(connection) as small:
            client.get(url(world, "partner_list"))
        Partner.objects.bulk_create(
            [
                Partner(organization=world.org, name=f"Org {i}", sector="other")
                for i in range(10, 500)
            ]
        )
        with CaptureQueriesContext(connection) as large:
            response = client.get(url(world, "partner_list"))
    assert "500 partners" in response.text
    assert len(small) == len(large)


def test_a_partner_user_sees_only_their_partners_contacts(world, login):
    link = PartnerMembershipFactory(
        membership=world.membership(world.partner), organization=world.org
    )
    own = ContactFactory(organization=world.org, first_name="Owncolleague", partner=link.partner)
    other = ContactFactory(
        organization=world.org,
        first_name="Othercontact",
        partner=PartnerFactory(organization=world.org),
    )
    client = login(world.partner)
    text = client.get(url(world, "index")).text
    assert "Owncolleague" in text and "Othercontact" not in text
    assert client.get(url(world, "contact_detail", contact_id=own.pk)).status_code == 200
    assert client.get(url(world, "contact_detail", contact_id=other.pk)).status_code == 404


def test_an_unlinked_partner_user_sees_no_contacts(world, login):
    ContactFactory(organization=world.org, first_name="Someone")
    text = login(world.partner).get(url(world, "index")).text
    assert "Someone" not in text
    assert "not linked to a partner yet" in text


def test_a_coordinator_adds_a_contact_with_tags(world, login):
    partner = PartnerFactory(organization=world.org, name="Riverside Public Library")
    response = login(world.coordinator).post(
        url(world, "contact_create"),
        {
            "first_name": "Maya",
            "last_name": "Osei",
            "email": "Maya@Example.org",
            "partner": partner.pk,
            "sector": "government",
            "tags": "early years, speaker, Early Years",
        },
    )
    with scope(organization=world.org):
        contact = Contact.objects.get(first_name="Maya")
        assert response["Location"] == url(world, "contact_detail", contact_id=contact.pk)
        assert contact.email == "maya@example.org"
        assert contact.partner == partner
        assert sorted(t.name for t in contact.tags.all()) == ["early years", "speaker"]


def test_a_duplicate_email_is_refused_with_a_link_to_the_existing_contact(world, login):
    existing = ContactFactory(
        organization=world.org, first_name="Aisha", last_name="Chen", email="aisha@example.org"
    )
    response = login(world.coordinator).post(
        url(world, "contact_create"),
        {"first_name": "A.", "email": "AISHA@example.org", "sector": "other"},
    )
    assert response.status_code == 422
    link = url(world, "contact_detail", contact_id=existing.pk)
    assert f'<a href="{link}">Aisha Chen</a>' in response.text
    with scope(organization=world.org):
        assert Contact.objects.count() == 1


def test_the_same_email_may_live_in_another_organization(world, login):
    ContactFactory(organization=world.other_org, email="shared@example.org")
    response = login(world.coordinator).post(
        url(world, "contact_create"),
        {"first_name": "Shared", "email": "shared@example.org", "sector": "other"},
    )
    assert response.status_code == 302


def test_a_malformed_email_gets_a_message_next_to_the_field(world, login):
    response = login(world.coordinator).post(
        url(world, "contact_create"),
        {"first_name": "X", "email": "not-an-address", "sector": "other"},
    )
    assert response.status_code == 422
    assert 'id="id_email_error"' in response.text


def test_editing_keeps_the_contact_and_changes_its_fields(world, login):
    contact = ContactFactory(organization=world.org, first_name="Ben", phone="")
    login(world.coordinator).post(
        url(world, "contact_edit", contact_id=contact.pk),
        {
            "first_name": "Benjamin",
            "last_name": contact.last_name,
            "email": contact.email,
            "phone": "613-555-0101",
            "sector": "health",
            "tags": "",
        },
    )
    contact.refresh_from_db()
    assert (contact.first_name, contact.phone, contact.sector) == (
        "Benjamin",
        "613-555-0101",
        "health",
    )


def test_roundtable_and_partner_users_may_not_edit(world, login):
    contact = ContactFactory(organization=world.org)
    for user in (world.roundtable, world.partner):
        client = login(user)
        assert client.get(url(world, "contact_create")).status_code == 403
        assert client.post(
            url(world, "contact_edit", contact_id=contact.pk), {"first_name": "X"}
        ).status_code in (403, 404)
    contact.refresh_from_db()
    assert contact.first_name != "X"


def test_a_contact_cannot_be_tied_to_another_organizations_partner(world, login):
    foreign = PartnerFactory(organization=world.other_org)
    response = login(world.coordinator).post(
        url(world, "contact_create"), {"first_name": "X", "sector": "other", "partner": foreign.pk}
    )
    assert response.status_code == 422
    with scope(organization=world.org):
        assert not Contact.objects.exists()


def test_a_coordinator_deletes_a_contact_with_their_timeline(world, login):
    from stakeholders.models import Interaction

    from .factories import InteractionFactory

    contact = ContactFactory(organization=world.org, first_name="Forget", last_name="Me")
    InteractionFactory(contact=contact)
    response = login(world.coordinator).post(
        url(world, "contact_delete", contact_id=contact.pk), follow=True
    )
    assert "Forget Me and their timeline were deleted" in response.text
    with scope(organization=world.org):
        assert not Contact.objects.exists() and not Interaction.objects.exists()
    assert (
        login(world.roundtable)
        .post(url(world, "contact_delete", contact_id=contact.pk))
        .status_code
        == 403
    )


def test_an_invalid_filter_is_dropped_and_the_others_still_apply(world, login):
    ContactFactory(organization=world.org, first_name="Hana", sector=Sector.HEALTH)
    ContactFactory(organization=world.org, first_name="Fatima", sector=Sector.FAITH)
    text = (
        login(world.coordinator)
        .get(url(world, "index"), {"sector": "health", "tag": "999999"})
        .text
    )
    assert "Hana" in text and "Fatima" not in text


def test_a_partner_user_sees_their_colleague_but_not_the_backbones_notes_about_them(world, login):
    from stakeholders.services import interaction_record

    link = PartnerMembershipFactory(
        membership=world.membership(world.partner), organization=world.org
    )
    colleague = ContactFactory(
        organization=world.org,
        partner=link.partner,
        first_name="Nadia",
        notes="Prefers calls after 4pm; burnt out.",
    )
    with scope(organization=world.org):
        interaction_record(
            contact=colleague, kind="note", summary="Worried about funding cuts at the food bank."
        )
    url = f"/o/riverside/stakeholders/contacts/{colleague.pk}/"
    partner_page = login(world.partner).get(url).content.decode()
    assert "Nadia" in partner_page
    assert "burnt out" not in partner_page and "funding cuts" not in partner_page
    roundtable_page = login(world.roundtable).get(url).content.decode()
    assert "burnt out" in roundtable_page and "funding cuts" in roundtable_page
