"""The empty forms of agreements and indicators are kept as HTML behind the measures stamp
(measures.panel_cache.kept_form_page): a second view reads only the row it edits, the
forms carry the member's own token, and every row they offer or show — a partner, an
indicator, a contact, the edited row itself, even through an `update()` — is on the next
view."""

import re

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django_scopes import scopes_disabled

from measures.definitions import indicator_definition_correct

from ..stakeholders.factories import ContactFactory, PartnerFactory
from .factories import AgreementFactory, IndicatorFactory

TOKENS = re.compile(r'(?<=csrfmiddlewaretoken" value=")[^"]+|(?<=X-CSRFToken": ")[^"]+')


def url(world, name, **kwargs) -> str:
    return reverse(f"measures:{name}", kwargs={"org_slug": world.org.slug, **kwargs})


def test_a_second_view_of_a_form_reads_nothing_it_offers(world, measures, login):
    client = login(world.admin)
    agreement = AgreementFactory(initiative=measures.initiative, title="Sharing pact")
    for page, most in (
        (url(world, "agreement_create"), 3),
        (url(world, "agreement_edit", agreement_id=agreement.pk), 4),
        (url(world, "indicator_create", initiative_id=measures.initiative.pk), 4),
        (url(world, "indicator_edit", indicator_id=measures.indicator.pk), 4),
    ):
        first = client.get(page).content.decode()
        with CaptureQueriesContext(connection) as queries:
            second = client.get(page).content.decode()
        assert len(queries) <= most, page
        assert TOKENS.sub("", first) == TOKENS.sub("", second)
        assert "__measures-csrf-token__" not in second


def test_new_partners_indicators_and_contacts_are_offered_at_once(world, measures, login):
    client = login(world.coordinator)
    create = url(world, "agreement_create")
    new_indicator = url(world, "indicator_create", initiative_id=measures.initiative.pk)
    client.get(create), client.get(new_indicator)
    PartnerFactory(organization=world.org, name="Harbour & <Co>")
    IndicatorFactory(initiative=measures.initiative, name="Meals served")
    ContactFactory(organization=world.org, first_name="Ada", last_name="Quill")
    page = client.get(create).content.decode()
    assert "Harbour &amp; &lt;Co&gt;" in page
    assert "Meals served" in page
    assert "Ada Quill" in client.get(new_indicator).content.decode()


def test_the_edited_row_shows_at_once_even_through_an_update(world, measures, login):
    client = login(world.admin)
    agreement = AgreementFactory(initiative=measures.initiative, title="Sharing pact")
    edit_agreement = url(world, "agreement_edit", agreement_id=agreement.pk)
    edit_indicator = url(world, "indicator_edit", indicator_id=measures.indicator.pk)
    client.get(edit_agreement)
    with scopes_disabled():
        agreement.title = "Sharing pact, renewed"
        agreement.save()
    assert 'value="Sharing pact, renewed"' in client.get(edit_agreement).content.decode()

    client.get(edit_indicator)
    with scopes_disabled():
        indicator_definition_correct(
            indicator=measures.indicator,
            name="Households fed",
            definition="Counted at the door.",
            by=world.admin,
            record=False,  # no version row saved: only the update()
        )
    page = client.get(edit_indicator).content.decode()
    assert 'value="Households fed"' in page  # the form's field, not only the page's title
    assert "Counted at the door." in page


def test_a_kept_form_posts_with_the_members_own_token(world, measures, login):
    admin, coordinator = login(world.admin), login(world.coordinator)
    create = url(world, "agreement_create")
    admin.get(create)
    html = coordinator.get(create).content.decode()
    token = re.search(r'csrfmiddlewaretoken" value="([^"]+)"', html).group(1)
    coordinator.handler.enforce_csrf_checks = True
    response = coordinator.post(
        create,
        {
            "csrfmiddlewaretoken": token,
            "initiative": measures.initiative.pk,
            "kind": "mou",
            "title": "Memorandum",
            "status": "draft",
            "permission": "internal",
        },
    )
    assert response.status_code == 302, response.content.decode()[-2000:]
