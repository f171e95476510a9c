"""Lists run a fixed number of queries, whatever the number of initiatives or rows."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from initiatives.models import Phase, RiskLevel

from .factories import (
    ActionItemFactory,
    AttendanceFactory,
    DeliverableFactory,
    EngagementEventFactory,
    FundingCommitmentFactory,
    InitiativeFactory,
    ReadinessItemFactory,
    ReflectionNoteFactory,
    RiskFactory,
    TeamFactory,
    TeamMemberFactory,
)


def make_initiatives(org, count: int) -> list:
    past = timezone.localdate(timezone=org.tzinfo) - datetime.timedelta(days=3)
    made = []
    for n in range(count):
        initiative = InitiativeFactory(
            organization=org,
            phase=Phase.INITIATE_ACTION if n % 2 else Phase.PRE_LAUNCH,
            start_date=past - datetime.timedelta(days=30),
        )
        ReadinessItemFactory(initiative=initiative, phase=initiative.phase, done_on=past)
        ReadinessItemFactory(initiative=initiative, phase=initiative.phase)
        DeliverableFactory(initiative=initiative, status="done")
        ActionItemFactory(initiative=initiative, due_date=past)
        RiskFactory(initiative=initiative, likelihood=RiskLevel.HIGH)
        made.append(initiative)
    return made


def queries_for(client, url: str) -> tuple[int, str]:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(captured), response.content.decode()


@pytest.mark.parametrize(
    "url",
    [
        "/o/riverside/initiatives/overview/",
        "/o/riverside/initiatives/",
        "/o/riverside/initiatives/actions-due/",
    ],
)
def test_the_dashboard_and_lists_run_the_same_queries_for_2_and_40_initiatives(world, login, url):
    client = login(world.coordinator)
    make_initiatives(world.org, 2)
    small, small_html = queries_for(client, url)
    make_initiatives(world.org, 38)
    large, large_html = queries_for(client, url)
    assert small == large
    assert len(large_html) > len(small_html)


def test_the_dashboard_shows_each_initiatives_figures(world, login):
    [initiative] = make_initiatives(world.org, 1)
    DeliverableFactory(initiative=initiative)
    RiskFactory(
        initiative=initiative,
        description="Funders pull back",
        likelihood=RiskLevel.HIGH,
        impact=RiskLevel.HIGH,
    )
    html = login(world.roundtable).get("/o/riverside/initiatives/overview/").content.decode()
    assert initiative.name in html
    assert "I. Pre-launch" in html
    assert "50%" in html  # one of two readiness items of the current phase
    assert "1 of 2" in html  # deliverables done of total
    assert '<span class="badge badge--overdue">1</span>' in html
    assert "Funders pull back" in html
    assert html.index("Funders pull back") < html.index("Risk ")  # high × high first


def test_the_overview_shows_a_page_of_cards(world, login):
    from initiatives.views.initiative import OVERVIEW_PAGE_SIZE

    make_initiatives(world.org, OVERVIEW_PAGE_SIZE + 2)
    client = login(world.roundtable)
    html = client.get("/o/riverside/initiatives/overview/").content.decode()
    assert html.count('class="card initiative-card"') == OVERVIEW_PAGE_SIZE
    assert "Page 1 of 2" in html and 'href="?page=2"' in html
    more = client.get(
        "/o/riverside/initiatives/overview/", {"page": 2}, headers={"HX-Request": "true"}
    ).content.decode()
    assert more.count('class="card initiative-card"') == 2 and "<h1>" not in more


def rows_for(initiative, count: int) -> None:
    for _ in range(count):
        ReadinessItemFactory(initiative=initiative)
        DeliverableFactory(initiative=initiative)
        ActionItemFactory(
            initiative=initiative, deliverable=DeliverableFactory(initiative=initiative)
        )
        RiskFactory(initiative=initiative)
        FundingCommitmentFactory(initiative=initiative)
        TeamMemberFactory(team=TeamFactory(initiative=initiative))
        # The overview's community will and reflection board.
        AttendanceFactory(event=EngagementEventFactory(initiative=initiative))
        ReflectionNoteFactory(initiative=initiative)


@pytest.mark.parametrize(
    "section", ["", "readiness/", "deliverables/", "actions/", "governance/", "risks/", "funding/"]
)
def test_initiative_pages_run_the_same_queries_for_few_and_many_rows(world, login, section):
    initiative = InitiativeFactory(organization=world.org)
    client = login(world.coordinator)
    url = f"/o/riverside/initiatives/{initiative.pk}/{section}"
    rows_for(initiative, 2)
    small, _ = queries_for(client, url)
    rows_for(initiative, 25)
    large, html = queries_for(client, url)
    assert small == large
    if not section:  # the overview counts all the rows, in SQL
        assert "0 of 54" in html  # deliverables: two a row, none done
        assert '<dt>People engaged</dt><dd class="num">27</dd>' in html
