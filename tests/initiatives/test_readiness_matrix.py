import datetime
import re

import pytest
from django_scopes import scope

from initiatives import services
from initiatives.models import Component, Phase, ReadinessItem
from initiatives.selectors import readiness_grid, readiness_percent

from .factories import InitiativeFactory, ReadinessItemFactory
from .helpers import assert_refused


def test_readiness_percent_rounds_down_and_is_none_without_items():
    assert readiness_percent(0, 0) is None
    assert readiness_percent(0, 3) == 0
    assert readiness_percent(2, 3) == 66
    assert readiness_percent(5, 6) == 83
    assert readiness_percent(3, 3) == 100


def test_the_grid_counts_each_cell_and_the_current_column(world):
    initiative = InitiativeFactory(organization=world.org, phase=Phase.INITIATE_ACTION)
    today = datetime.date(2027, 3, 1)
    for done_on in (today, today, None):
        ReadinessItemFactory(
            initiative=initiative,
            phase=Phase.INITIATE_ACTION,
            component=Component.GOVERNANCE,
            done_on=done_on,
        )
    ReadinessItemFactory(
        initiative=initiative, phase=Phase.INITIATE_ACTION, component=Component.EVALUATION
    )
    ReadinessItemFactory(initiative=initiative, phase=Phase.PRE_LAUNCH, done_on=today)
    with scope(organization=world.org):
        grid = readiness_grid(initiative)
    governance = grid.rows[0]
    assert governance.component == Component.GOVERNANCE
    cell = governance.cells[1]
    assert (cell.phase, cell.done, cell.total, cell.percent, cell.current) == (
        Phase.INITIATE_ACTION,
        2,
        3,
        66,
        True,
    )
    assert governance.cells[0].current is False
    assert grid.percent_of(Phase.INITIATE_ACTION) == 50  # 2 of 4
    assert grid.percent_of(Phase.PRE_LAUNCH) == 100
    assert grid.percent_of(Phase.SUSTAINING_IMPACT) is None
    open_items = grid.open_items_of(Phase.INITIATE_ACTION)
    assert [(item.component, item.is_done) for item in open_items] == [
        (Component.GOVERNANCE, False),
        (Component.EVALUATION, False),
    ]


@pytest.fixture
def item(world):
    initiative = InitiativeFactory(organization=world.org)
    return ReadinessItemFactory(initiative=initiative, text="Hold dialogues about the issue")


def tick_url(item):
    return f"/o/riverside/initiatives/readiness/{item.pk}/tick/"


def test_a_coordinator_ticks_an_item_in_place_with_date_who_and_evidence(world, login, item):
    response = login(world.coordinator).post(
        tick_url(item),
        {"done_on": "2027-02-03", "evidence": "https://example.org/minutes"},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert html.lstrip().startswith('<td id="cell-pre_launch-governance"')
    assert "1 of 1 done" in html
    assert "https://example.org/minutes" in html
    with scope(organization=world.org):
        item.refresh_from_db()
    assert item.done_on == datetime.date(2027, 2, 3)
    assert item.done_by == world.coordinator
    assert item.evidence == "https://example.org/minutes"


def test_ticking_again_unticks_and_without_htmx_goes_back_to_the_matrix(world, login, item):
    with scope(organization=world.org):
        services.readiness_item_tick(item=item, by=world.coordinator)
    response = login(world.admin).post(tick_url(item))
    assert response.status_code == 302
    assert response["Location"].endswith(
        f"/initiatives/{item.initiative_id}/readiness/#cell-pre_launch-governance"
    )
    with scope(organization=world.org):
        item.refresh_from_db()
    assert item.done_on is None and item.done_by is None


def test_a_bad_tick_date_is_reported_next_to_the_item(world, login, item):
    response = login(world.coordinator).post(
        tick_url(item), {"done_on": "someday"}, HTTP_HX_REQUEST="true"
    )
    assert "Enter a valid date." in response.content.decode()
    with scope(organization=world.org):
        item.refresh_from_db()
    assert item.done_on is None


@pytest.mark.parametrize("role", ["roundtable", "partner"])
def test_readers_cannot_tick(world, login, item, role):
    assert login(world.member(role)).post(tick_url(item)).status_code in (403, 404)
    with scope(organization=world.org):
        item.refresh_from_db()
    assert item.done_on is None


def test_the_roundtable_sees_the_matrix_without_tick_buttons(world, login, item):
    response = login(world.roundtable).get(
        f"/o/riverside/initiatives/{item.initiative_id}/readiness/"
    )
    html = response.content.decode()
    assert "Hold dialogues about the issue" in html
    assert "Tick “" not in html
    assert "Add a readiness item" not in html
    coordinator_html = (
        login(world.coordinator)
        .get(f"/o/riverside/initiatives/{item.initiative_id}/readiness/")
        .content.decode()
    )
    assert "Tick “Hold dialogues about the issue”" in coordinator_html


def test_coordinators_add_reorder_edit_and_remove_items(world, login, item):
    client = login(world.coordinator)
    base = "/o/riverside/initiatives"
    response = client.post(
        f"{base}/{item.initiative_id}/readiness/",
        {"phase": Phase.PRE_LAUNCH, "component": Component.GOVERNANCE, "text": "Name a convener"},
    )
    assert response.status_code == 302
    with scope(organization=world.org):
        added = ReadinessItem.objects.get(text="Name a convener")
        assert list(
            ReadinessItem.objects.filter(initiative=item.initiative).values_list("text", flat=True)
        ) == ["Hold dialogues about the issue", "Name a convener"]
    client.post(f"{base}/readiness/{added.pk}/move/", {"direction": "up"})
    with scope(organization=world.org):
        assert list(
            ReadinessItem.objects.filter(initiative=item.initiative).values_list("text", flat=True)
        ) == ["Name a convener", "Hold dialogues about the issue"]
    client.post(f"{base}/readiness/{added.pk}/edit/", {"text": "Name a convener we trust"})
    client.post(f"{base}/readiness/{item.pk}/remove/")
    with scope(organization=world.org):
        assert list(
            ReadinessItem.objects.filter(initiative=item.initiative).values_list("text", flat=True)
        ) == ["Name a convener we trust"]


def test_an_empty_item_text_is_refused_next_to_the_field(world, login, item):
    response = login(world.coordinator).post(
        f"/o/riverside/initiatives/{item.initiative_id}/readiness/",
        {"phase": Phase.PRE_LAUNCH, "component": Component.GOVERNANCE, "text": ""},
    )
    assert_refused(response, 'id="add_text_error"')


def test_an_item_added_with_htmx_lands_in_its_cell(world, login, item):
    response = login(world.coordinator).post(
        f"/o/riverside/initiatives/{item.initiative_id}/readiness/",
        {"phase": Phase.INITIATE_ACTION, "component": Component.EVALUATION, "text": "Gaps named"},
        HTTP_HX_REQUEST="true",
    )
    assert response["HX-Retarget"] == "#cell-initiate_action-evaluation"
    assert response["HX-Reswap"] == "outerHTML"
    html = response.content.decode()
    assert "Gaps named" in html and "0 of 1 done" in html
    refused = login(world.coordinator).post(
        f"/o/riverside/initiatives/{item.initiative_id}/readiness/",
        {"phase": Phase.INITIATE_ACTION, "component": Component.EVALUATION, "text": ""},
        HTTP_HX_REQUEST="true",
    )
    assert refused.status_code == 422  # the base layout tells htmx to swap 422
    html = refused.content.decode()
    assert html.lstrip().startswith('<section class="card narrow" id="add-item">')
    assert 'id="add_text_error"' in html


def test_a_tick_updates_the_phases_percentage_out_of_band_and_says_what_was_saved(
    world, login, item
):
    ReadinessItemFactory(initiative=item.initiative, text="Map the community's assets")
    client = login(world.coordinator)
    page = client.get(f"/o/riverside/initiatives/{item.initiative_id}/readiness/").content.decode()
    assert '<p class="lead" id="readiness-summary">' in page
    assert '<div id="saved-status" class="saved-status" role="status" aria-live="polite">' in page

    html = client.post(tick_url(item), HTTP_HX_REQUEST="true").content.decode()
    summary = re.search(
        r'<p class="lead" id="readiness-summary" hx-swap-oob="true">.*?</p>', html, re.S
    )
    assert summary and '<span class="num">50%</span>' in summary.group(0), html
    assert re.search(
        r'<div id="saved-status" hx-swap-oob="innerHTML">.*Saved: “Hold dialogues about the issue” is done\.',
        html,
        re.S,
    )
    assert f'id="tick-{item.pk}"' in html  # the focus comes back to the same control

    html = client.post(tick_url(item), HTTP_HX_REQUEST="true").content.decode()
    assert '<span class="num">0%</span>' in html
    assert "Saved: “Hold dialogues about the issue” is open again." in html


def test_two_people_ticking_at_once_leave_it_ticked_by_the_first(world, login, item):
    page = login(world.admin).get(f"/o/riverside/initiatives/{item.initiative_id}/readiness/")
    assert 'name="done" value="1"' in page.content.decode()  # the button says "tick"
    login(world.coordinator).post(tick_url(item), {"done": "1", "evidence": "Minutes"})
    # The second person's page still showed it open: their tick does not untick it.
    login(world.admin).post(tick_url(item), {"done": "1", "evidence": "Mine"})
    with scope(organization=world.org):
        item.refresh_from_db()
    assert item.is_done and item.done_by == world.coordinator and item.evidence == "Minutes"


def test_two_people_unticking_at_once_leave_it_open(world, login, item):
    with scope(organization=world.org):
        services.readiness_item_tick(item=item, by=world.coordinator)
    login(world.coordinator).post(tick_url(item), {"done": "0"})
    login(world.admin).post(tick_url(item), {"done": "0"})
    with scope(organization=world.org):
        item.refresh_from_db()
    assert not item.is_done
