"""The agreement form's parties and covered indicators as registry pickers: checkboxes for
a short registry, past PICKER_LIMIT the chosen ones and a search; the indicator search
(measures:pick_indicators) answers only what the member may read, narrowed to the
initiative the form sends along."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django_scopes import scope

from measures.models import Agreement, AgreementKind, AgreementStatus, SharingPermission
from stakeholders import pickers

from ..initiatives.factories import InitiativeFactory
from ..stakeholders.factories import PartnerFactory
from .factories import AgreementFactory, IndicatorFactory

NEW = "/o/riverside/measures/agreements/new/"


@pytest.fixture
def long_registry(monkeypatch):
    monkeypatch.setattr(pickers, "PICKER_LIMIT", 3)


def path(world, name, **kwargs):
    return reverse(name, kwargs={"org_slug": world.org.slug, **kwargs})


def boxes(html: str, name: str, *, checked: bool | None = None) -> list[str]:
    tail = {True: " checked", False: "", None: "[^>]*"}[checked]
    return re.findall(rf'<input type="checkbox" name="{name}" value="(\d+)"{tail}>', html)


def search(client, world, text: str, **params):
    return client.get(
        path(world, "measures:pick_indicators"),
        {"field": "indicators", "id": "add_indicators", "multiple": "1", **params}
        | {"indicators_search": text},
        headers={"HX-Request": "true"},
    )


def form_data(measures, **fields) -> dict:
    return {
        "initiative": measures.initiative.pk,
        "kind": AgreementKind.DATA_SHARING,
        "title": "Food bank data sharing",
        "status": AgreementStatus.DRAFT,
        "permission": SharingPermission.PER_PARTNER,
        "parties_search": "",
        "indicators_search": "",
        **fields,
    }


def test_a_short_registry_stays_a_checkbox_list(world, login, measures):
    page = login(world.coordinator).get(NEW).text
    assert 'id="id_parties_0"' in page and 'type="checkbox" name="parties"' in page
    assert 'name="parties_search"' not in page and 'name="indicators_search"' not in page
    assert "<legend>Parties" in page and "<legend>Indicators covered" in page
    agreement = AgreementFactory(
        initiative=measures.initiative,
        parties=[measures.food_bank],
        indicators=[measures.indicator],
    )
    edit = login(world.coordinator).get(
        path(world, "measures:agreement_edit", agreement_id=agreement.pk)
    )
    party_boxes = re.findall(
        r'<input type="checkbox" name="parties" value="(\d+)"([^>]*)>', edit.text
    )
    assert sorted(party_boxes) == sorted(
        [
            (str(measures.food_bank.pk), ' id="id_parties_1" checked'),
            (str(measures.other.pk), ' id="id_parties_0"'),
        ]
    )


def test_past_the_limit_the_form_lists_no_options_but_the_chosen(
    world, login, measures, long_registry
):
    PartnerFactory.create_batch(4, organization=world.org)
    IndicatorFactory.create_batch(4, initiative=measures.initiative)
    agreement = AgreementFactory(
        initiative=measures.initiative,
        parties=[measures.food_bank],
        indicators=[measures.indicator],
    )
    client = login(world.coordinator)
    page = client.get(path(world, "measures:agreement_edit", agreement_id=agreement.pk)).text
    assert boxes(page, "parties", checked=None) == boxes(page, "parties", checked=True)
    assert boxes(page, "parties", checked=True) == [str(measures.food_bank.pk)]
    assert boxes(page, "indicators", checked=True) == [str(measures.indicator.pk)]
    search_url = path(world, "measures:pick_indicators")
    assert f'hx-get="{search_url}?field=indicators&amp;id=id_indicators&amp;multiple=1"' in page
    assert 'hx-include="#id_indicators_results input:checked, #id_initiative"' in page
    assert f'hx-get="{path(world, "stakeholders:pick_partners")}?field=parties' in page
    assert "Add a partner" in page and "Add an indicator" in page


def test_the_indicator_search_answers_what_the_member_may_read(world, login, measures):
    elsewhere = InitiativeFactory(organization=world.org, name="Ready by Five")
    IndicatorFactory(initiative=elsewhere, name="Households read to daily")
    IndicatorFactory(initiative=InitiativeFactory(organization=world.other_org), name="Households")
    client = login(world.coordinator)
    answer = search(client, world, "households")
    assert answer.status_code == 200
    assert "Households using the food bank (Poverty Reduction Roundtable)" in answer.text
    assert "Households read to daily (Ready by Five)" in answer.text
    assert len(boxes(answer.text, "indicators", checked=False)) == 2  # not the other org's
    # The initiative chosen on the form narrows the matches; another organization's is none.
    narrowed = search(client, world, "households", initiative=elsewhere.pk).text
    assert boxes(narrowed, "indicators", checked=False) != []
    assert "Ready by Five" in narrowed and "Poverty Reduction" not in narrowed
    foreign = InitiativeFactory(organization=world.other_org)
    assert (
        boxes(search(client, world, "households", initiative=foreign.pk).text, "indicators") == []
    )
    assert "No match" in search(client, world, "households", initiative=foreign.pk).text
    # A partner user reads the indicators of their partner's initiatives only.
    partner_answer = search(login(world.partner), world, "households")
    assert "Households using the food bank" in partner_answer.text
    assert "Ready by Five" not in partner_answer.text
    assert login(world.outsider).get(path(world, "measures:pick_indicators")).status_code == 404


def test_a_new_search_keeps_the_matches_ticked_before(world, login, measures):
    """The picker sends the ticked matches with each search: they come back ticked (only
    those the member may read), and the new matches follow them unticked."""
    ticked = IndicatorFactory(initiative=measures.initiative, name="Meals served")
    foreign = IndicatorFactory(initiative=InitiativeFactory(organization=world.other_org))
    answer = search(
        login(world.coordinator), world, "households", indicators=[ticked.pk, foreign.pk]
    ).text
    assert boxes(answer, "indicators", checked=True) == [str(ticked.pk)]
    assert boxes(answer, "indicators", checked=False) == [str(measures.indicator.pk)]


def test_without_htmx_the_search_is_a_page(world, login, measures):
    answer = login(world.coordinator).get(
        path(world, "measures:pick_indicators"),
        {"field": "indicators", "id": "x", "multiple": "1", "indicators_search": "food"},
    )
    assert answer.status_code == 200 and "<h1>Find an indicator</h1>" in answer.text
    assert boxes(answer.text, "indicators", checked=False) == [str(measures.indicator.pk)]


def test_saving_the_ticked_and_refusing_strangers(world, login, measures, long_registry):
    PartnerFactory.create_batch(3, organization=world.org)
    IndicatorFactory.create_batch(3, initiative=measures.initiative)
    foreign_partner = PartnerFactory(organization=world.other_org)
    foreign_indicator = IndicatorFactory(initiative=InitiativeFactory(organization=world.other_org))
    client = login(world.coordinator)
    chosen = {
        "parties": [measures.food_bank.pk, measures.other.pk],
        "indicators": [measures.indicator.pk],
    }
    for stranger in ({"parties": [foreign_partner.pk]}, {"indicators": [foreign_indicator.pk]}):
        refused = client.post(NEW, form_data(measures, **{**chosen, **stranger}))
        assert refused.status_code == 422
    assert client.post(NEW, form_data(measures, **chosen)).status_code == 302
    with scope(organization=world.org):
        agreement = Agreement.objects.get()
        assert set(agreement.parties.all()) == {measures.food_bank, measures.other}
        assert list(agreement.indicators.all()) == [measures.indicator]


def test_an_indicator_of_another_initiative_is_refused(world, login, measures, long_registry):
    IndicatorFactory.create_batch(3, initiative=measures.initiative)
    stranger = IndicatorFactory(initiative=InitiativeFactory(organization=world.org))
    response = login(world.coordinator).post(
        NEW, form_data(measures, indicators=[measures.indicator.pk, stranger.pk])
    )
    assert response.status_code == 422
    assert "Only this initiative" in response.text and stranger.name in response.text


def test_without_javascript_a_typed_name_adds_one_partner(world, login, measures, long_registry):
    PartnerFactory.create_batch(3, organization=world.org)
    PartnerFactory(organization=world.org, name="Riverside Library")
    client = login(world.coordinator)
    several = client.post(NEW, form_data(measures, parties_search="riverside"))
    assert several.status_code == 422 and "Several partners match “riverside”" in several.text
    assert len(boxes(several.text, "parties", checked=False)) == 3
    nobody = client.post(NEW, form_data(measures, parties_search="Nobody-at-all"))
    assert nobody.status_code == 422 and "No partner matches" in nobody.text
    one = client.post(
        NEW, form_data(measures, parties_search="food bank", indicators=[measures.indicator.pk])
    )
    assert one.status_code == 302
    with scope(organization=world.org):
        assert list(Agreement.objects.get().parties.all()) == [measures.food_bank]


@pytest.mark.parametrize("limit", [1000, 3])
def test_the_form_takes_the_same_queries_at_two_sizes(world, login, measures, monkeypatch, limit):
    """Below the limit (checkbox lists) and past it (searches): the count does not grow."""
    monkeypatch.setattr(pickers, "PICKER_LIMIT", limit)
    agreement = AgreementFactory(
        initiative=measures.initiative,
        parties=[measures.food_bank],
        indicators=[measures.indicator],
    )
    client = login(world.coordinator)
    edit = path(world, "measures:agreement_edit", agreement_id=agreement.pk)
    counts, sizes = [], []
    for extra in (4, 40):
        PartnerFactory.create_batch(extra, organization=world.org)
        IndicatorFactory.create_batch(extra, initiative=measures.initiative)
        client.get(edit)
        with CaptureQueriesContext(connection) as queries:
            page = client.get(edit).text
        counts.append(len(queries))
        sizes.append(len(page))
    assert counts[0] == counts[1], counts
    if limit == 3:  # the searches: the page does not grow with the registry
        assert abs(sizes[1] - sizes[0]) < 200, sizes
    else:
        assert sizes[1] > sizes[0] + 36 * 2 * 50, sizes
