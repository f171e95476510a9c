"""The contacts list's rows are kept in the cache (stakeholders.list_cache): a second
visit reads no contact, any change to the registry shows at the next visit, and what is
kept for one member (their role, their partner, their language) is never shown to another."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django_scopes import scope, scopes_disabled

from backbone.models import Organization
from backbone.stamped_cache import bump_every
from stakeholders.models import Contact, Sector

from .factories import (
    CapacityAssessmentFactory,
    ContactFactory,
    PartnerFactory,
    PartnerMembershipFactory,
    TagFactory,
)

pytestmark = pytest.mark.django_db


def visit(client, world, **params) -> tuple[list[str], str]:
    url = reverse("stakeholders:index", kwargs={"org_slug": world.org.slug})
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, params)
    assert response.status_code == 200
    return [q["sql"] for q in captured.captured_queries], response.content.decode()


def contact_reads(sqls: list[str]) -> list[str]:
    return [sql for sql in sqls if 'FROM "stakeholders_contact"' in sql]


def test_a_second_visit_reads_no_contact_and_shows_the_same_rows(world, login):
    ContactFactory(organization=world.org, first_name="Aisha", last_name="Chen")
    client = login(world.coordinator)
    first, first_html = visit(client, world)
    second, second_html = visit(client, world)
    assert contact_reads(first) and contact_reads(second) == []
    assert "Aisha Chen" in second_html and "1 contact" in second_html
    assert second_html.count("<tr>") == first_html.count("<tr>")


def test_a_contact_saved_renamed_tagged_or_deleted_shows_at_the_next_visit(world, login):
    client = login(world.coordinator)
    visit(client, world)
    contact = ContactFactory(organization=world.org, first_name="Aisha", last_name="Chen")
    tag = TagFactory(organization=world.org, name="youth council")
    assert "Aisha Chen" in visit(client, world)[1]
    with scope(organization=world.org):
        contact.last_name = "Khan"
        contact.save()
    assert "Aisha Khan" in visit(client, world)[1]
    assert "youth council</span>" not in visit(client, world)[1]
    contact.tags.add(tag)
    assert "youth council</span>" in visit(client, world)[1]
    with scopes_disabled():
        contact.delete()
    assert "Aisha Khan" not in visit(client, world)[1]


def test_filters_and_pages_are_kept_apart(world, login):
    ContactFactory(organization=world.org, first_name="Hana", sector=Sector.HEALTH)
    ContactFactory(organization=world.org, first_name="Farah", sector=Sector.FAITH)
    client = login(world.coordinator)
    assert "Farah" in visit(client, world)[1]
    html = visit(client, world, sector=Sector.HEALTH)[1]
    assert "Hana" in html and "Farah" not in html


def test_a_partner_user_never_gets_the_list_kept_for_the_coordinator(world, login):
    theirs = PartnerFactory(organization=world.org, name="Food Bank")
    PartnerMembershipFactory(membership=world.membership(world.partner), partner=theirs)
    ContactFactory(organization=world.org, first_name="Own", last_name="Person", partner=theirs)
    ContactFactory(organization=world.org, first_name="Other", last_name="Person")
    assert "Other Person" in visit(login(world.coordinator), world)[1]
    html = visit(login(world.partner), world)[1]
    assert "Own Person" in html and "Other Person" not in html


def test_the_list_kept_in_english_is_not_served_in_french(world, login):
    ContactFactory(organization=world.org, first_name="Hana", sector=Sector.HEALTH)
    client = login(world.coordinator)
    assert "<td>Health</td>" in visit(client, world)[1]
    with scopes_disabled():  # without a save: only the language in the key tells them apart
        Organization.objects.filter(pk=world.org.pk).update(language="fr")
    assert "<td>Santé</td>" in visit(client, world)[1]


def test_bulk_writes_that_bump_every_kept_page_show_at_the_next_visit(world, login):
    client = login(world.coordinator)
    visit(client, world)
    with scopes_disabled():
        Contact.objects.bulk_create(
            [Contact(organization=world.org, first_name="Imported", last_name="Person")]
        )
    bump_every(world.org.pk)  # as an import does
    assert "Imported Person" in visit(client, world)[1]


def partner_page(client, world, partner) -> tuple[list[str], str]:
    url = reverse(
        "stakeholders:partner_detail", kwargs={"org_slug": world.org.slug, "partner_id": partner.pk}
    )
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return [q["sql"] for q in captured.captured_queries], response.content.decode()


def test_a_partners_people_are_read_once_and_a_new_colleague_shows_next(world, login):
    partner = PartnerFactory(organization=world.org, name="Food Bank")
    aisha = ContactFactory(
        organization=world.org, first_name="Aisha", last_name="<Chen> & co", partner=partner
    )
    client = login(world.coordinator)
    first, html = partner_page(client, world, partner)
    second, html = partner_page(client, world, partner)
    assert contact_reads(first) and contact_reads(second) == []
    link = reverse(
        "stakeholders:contact_detail", kwargs={"org_slug": world.org.slug, "contact_id": aisha.pk}
    )
    assert f'<a href="{link}">Aisha &lt;Chen&gt; &amp; co</a>' in html
    ContactFactory(organization=world.org, first_name="Ben", last_name="Gill", partner=partner)
    assert "Ben Gill" in partner_page(client, world, partner)[1]
    other = PartnerFactory(organization=world.org)
    assert "No contacts at this partner yet." in partner_page(client, world, other)[1]
    with scopes_disabled():  # without a save: only the language in the key tells them apart
        Organization.objects.filter(pk=world.org.pk).update(language="fr")
    assert "Aucun contact chez ce partenaire" in partner_page(client, world, other)[1]


def capacity_page(client, world, **params) -> tuple[list[str], str]:
    url = reverse("stakeholders:capacity_table", kwargs={"org_slug": world.org.slug})
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, params)
    assert response.status_code == 200
    return [q["sql"] for q in captured.captured_queries], response.content.decode()


def test_the_capacity_table_is_read_once_and_an_answer_shows_next(world, login):
    weak = PartnerFactory(organization=world.org, name="Small church")
    CapacityAssessmentFactory(organization=world.org, partner=weak, year=2026, technology=1)
    client = login(world.coordinator)
    first, html = capacity_page(client, world, year=2026)
    second, html = capacity_page(client, world, year=2026)
    # Kept: the rows and the summary; read each time: the years the filter offers.
    assessments = [sql for sql in second if "stakeholders_capacityassessment" in sql]
    assert len(second) < len(first) and all("DISTINCT" in sql for sql in assessments)
    assert "1 partner answered for 2026" in html
    strong = PartnerFactory(organization=world.org, name="Public health")
    CapacityAssessmentFactory(organization=world.org, partner=strong, year=2026, technology=4)
    assert "2 partners answered for 2026" in capacity_page(client, world, year=2026)[1]
    helped = capacity_page(client, world, year=2026, needs_help="technology")[1]
    assert "Small church" in helped and "Public health" not in helped
