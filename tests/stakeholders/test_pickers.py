"""The registry's searchable pickers (stakeholders.pickers): a select for a short registry,
a search past PICKER_LIMIT rows, with htmx and without JavaScript."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django_scopes import scope, scopes_disabled

from backbone.stamped_cache import bump_every
from stakeholders import pickers
from stakeholders.models import Contact, Sector

from ..initiatives.factories import RiskFactory
from .factories import ContactFactory, PartnerFactory, PartnerMembershipFactory


def org_path(world, name, **kwargs):
    return reverse(name, kwargs={"org_slug": world.org.slug, **kwargs})


def many_contacts(organization, count, **fields):
    with scopes_disabled():
        start = Contact.objects.filter(organization=organization).count()
        Contact.objects.bulk_create(
            Contact(
                organization=organization,
                first_name=fields.get("first_name", f"Person{n}"),
                last_name=fields.get("last_name", f"Number{n}"),
                email=f"{fields.get('last_name', 'person').lower()}{n}@bulk.example",
                sector=Sector.COMMUNITY,
            )
            for n in range(start, start + count)
        )
    bump_every(organization.pk)  # bulk inserts send no post_save, as an import does


@pytest.fixture
def long_registry(monkeypatch):
    """Registries past the limit without making hundreds of rows in every test (one test
    below uses the real limit)."""
    monkeypatch.setattr(pickers, "PICKER_LIMIT", 3)


def radios(html: str, name: str) -> list[str]:
    return re.findall(rf'<input type="radio" name="{name}" value="(\d*)"', html)


def test_past_the_limit_the_merge_form_renders_a_search_and_no_option_list(world, login):
    kept = ContactFactory(organization=world.org)
    client = login(world.coordinator)
    page = client.get(org_path(world, "stakeholders:contact_detail", contact_id=kept.pk)).text
    assert '<select name="other"' in page  # a few people: a plain select is friendlier
    many_contacts(world.org, pickers.PICKER_LIMIT + 1)
    page = client.get(org_path(world, "stakeholders:contact_detail", contact_id=kept.pk)).text
    assert '<select name="other"' not in page
    assert page.count("<option") < 20
    search = org_path(world, "stakeholders:pick_contacts")
    assert f'hx-get="{search}?field=other' in page
    assert 'hx-trigger="input changed delay:300ms, search"' in page
    assert 'aria-describedby="id_other_pickhelp' in page and 'aria-live="polite"' in page


def test_the_search_answers_at_most_twenty_matches_in_a_fixed_number_of_queries(
    world, login, long_registry
):
    client = login(world.coordinator)
    search = org_path(world, "stakeholders:pick_contacts")
    query = {"field": "other", "id": "id_other", "other": "smith"}
    many_contacts(world.org, 3, last_name="Smith")
    with CaptureQueriesContext(connection) as few:
        answer = client.get(search, query, headers={"HX-Request": "true"})
    assert answer.status_code == 200 and len(radios(answer.text, "other_pick")) == 3
    many_contacts(world.org, 40, last_name="Smith")
    with CaptureQueriesContext(connection) as lots:
        answer = client.get(search, query, headers={"HX-Request": "true"})
    assert len(radios(answer.text, "other_pick")) == pickers.PICKER_RESULTS
    assert "More match" in answer.text
    assert len(lots) == len(few)


def test_the_search_never_shows_another_organizations_people(world, login):
    ContactFactory(organization=world.org, first_name="Zebulon", last_name="Here")
    ContactFactory(organization=world.other_org, first_name="Zebulon", last_name="Elsewhere")
    answer = login(world.coordinator).get(
        org_path(world, "stakeholders:pick_contacts"),
        {"field": "owner", "id": "id_owner", "owner": "zebulon"},
    )
    assert "Here" in answer.text and "Elsewhere" not in answer.text
    # The outsider (admin of the other organization) reaches nothing here.
    assert (
        login(world.outsider).get(org_path(world, "stakeholders:pick_contacts")).status_code == 404
    )


def test_a_partner_user_finds_only_their_own_partners_people(world, login):
    own, other = PartnerFactory(organization=world.org), PartnerFactory(organization=world.org)
    ContactFactory(organization=world.org, first_name="Quill", last_name="Ours", partner=own)
    ContactFactory(organization=world.org, first_name="Quill", last_name="Theirs", partner=other)
    query = {"field": "c", "id": "id_c", "c": "quill"}
    client = login(world.partner)
    unlinked = client.get(org_path(world, "stakeholders:pick_contacts"), query).text
    assert "Quill" not in unlinked
    PartnerMembershipFactory(membership=world.membership(world.partner), partner=own)
    linked = client.get(org_path(world, "stakeholders:pick_contacts"), query).text
    assert "Ours" in linked and "Theirs" not in linked
    partners = client.get(
        org_path(world, "stakeholders:pick_partners"),
        {"field": "p", "id": "id_p", "p": "partner"},
    ).text
    assert radios(partners, "p_pick") == [str(own.pk)]


def test_the_search_refuses_a_field_name_that_is_not_one(world, login):
    answer = login(world.coordinator).get(
        org_path(world, "stakeholders:pick_contacts"), {"field": '"><script>', "id": "x"}
    )
    assert answer.status_code == 400


def merge(world, login, kept, data, **headers):
    path = org_path(world, "stakeholders:contact_merge", contact_id=kept.pk)
    return login(world.coordinator).post(path, data, headers=headers)


def test_without_javascript_a_typed_name_or_email_is_resolved(world, login, long_registry):
    kept = ContactFactory(organization=world.org)
    ContactFactory(organization=world.org, first_name="Ann", last_name="Leeds")
    named = ContactFactory(organization=world.org, first_name="Ann", last_name="Lee")
    mailed = ContactFactory(organization=world.org, email="bea@example.org")
    # Two people hold "ann lee"; only one is called exactly that.
    assert merge(world, login, kept, {"other": "  ann   LEE "}).status_code == 302
    assert merge(world, login, kept, {"other": "BEA@example.org"}).status_code == 302
    with scope(organization=world.org):
        assert not Contact.objects.filter(pk__in=[named.pk, mailed.pk]).exists()


def test_no_match_and_several_matches_are_form_errors_listing_the_matches(
    world, login, long_registry
):
    kept = ContactFactory(organization=world.org)
    first = ContactFactory(organization=world.org, first_name="Ravi", last_name="Chen")
    second = ContactFactory(organization=world.org, first_name="Mei", last_name="Chen")
    ContactFactory.create_batch(3, organization=world.org, last_name="Other")
    nobody = merge(world, login, kept, {"other": "Nobody-at-all"})
    assert nobody.status_code == 422
    assert "No one in the registry matches “Nobody-at-all”" in nobody.text
    assert 'value="Nobody-at-all"' in nobody.text  # the typed text is kept
    several = merge(world, login, kept, {"other": "chen"})
    assert several.status_code == 422
    assert "Several people match “chen”" in several.text
    assert sorted(radios(several.text, "other_pick")) == sorted([str(first.pk), str(second.pk)])
    assert "Ravi Chen" in several.text and "Mei Chen" in several.text
    # Choosing one of the listed matches then merges it.
    chosen = merge(world, login, kept, {"other": "chen", "other_pick": second.pk})
    assert chosen.status_code == 302
    with scope(organization=world.org):
        assert Contact.objects.filter(pk=first.pk).exists()
        assert not Contact.objects.filter(pk=second.pk).exists()


def test_with_htmx_the_chosen_radio_is_sent_and_another_organizations_id_refused(
    world, login, long_registry
):
    kept = ContactFactory(organization=world.org)
    ContactFactory.create_batch(4, organization=world.org)
    foreign = ContactFactory(organization=world.other_org)
    refused = merge(world, login, kept, {"other": "", "other_pick": foreign.pk}, HX_Request="true")
    assert refused.status_code == 422
    absorbed = ContactFactory(organization=world.org)
    done = merge(world, login, kept, {"other": "x", "other_pick": absorbed.pk}, HX_Request="true")
    assert done.status_code in (200, 204, 302)
    with scope(organization=world.org):
        assert not Contact.objects.filter(pk=absorbed.pk).exists()


def test_editing_a_row_shows_its_current_choice_and_keeps_it(world, login, long_registry):
    owner = ContactFactory(organization=world.org, first_name="Olu", last_name="Owner")
    ContactFactory.create_batch(4, organization=world.org)
    risk = RiskFactory(initiative__organization=world.org, owner=owner)
    path = reverse("initiatives:risk_edit", kwargs={"org_slug": world.org.slug, "risk_id": risk.pk})
    page = login(world.coordinator).get(path).text
    assert "<option" not in page.split('name="owner"')[1].split("</fieldset>")[0]
    assert re.search(rf'name="owner_pick" value="{owner.pk}" checked> Olu Owner', page)
