"""The plan's data sections: indicators now, strategy targets, governance, funding, and the
adopted version's snapshot that a later data correction never changes."""

import datetime
import io
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django_scopes import scope, scopes_disabled
from pypdf import PdfReader

from measures.models import DataPoint
from plans.models import PlanVersion, StrategyTarget, VersionFrozenError
from plans.pdf import content_hash, plan_pdf_bytes
from plans.selectors.plan import version_content
from plans.services import plan as services

from ..initiatives.factories import (
    FundingCommitmentFactory,
    InitiativeFactory,
    TeamFactory,
)
from ..measures.factories import DataPointFactory, IndicatorFactory
from .factories import (
    GoalFactory,
    StrategyFactory,
    StrategyTargetFactory,
    adopt,
    draft_of,
    falling_indicator,
    started_plan,
)

BASE = "/o/riverside/plans"
ADOPTED_ON = datetime.date(2026, 2, 1)


@pytest.fixture
def indicator(initiative):
    return falling_indicator(
        initiative,
        "Households below the low-income measure",
        frequency="annual",
        baseline="14200",
        approved={"2024": "13850", "2025": "13500"},
    )


@pytest.fixture
def draft(world, initiative, indicator):
    version = draft_of(started_plan(initiative))
    strategy = StrategyFactory(
        goal=GoalFactory(version=version, title="Every family has a living income"),
        title="Living wage employers",
    )
    StrategyTargetFactory(strategy=strategy, indicator=indicator, value="12000")
    TeamFactory(
        initiative=initiative,
        kind="leadership_roundtable",
        name="Leadership roundtable",
        charter="We meet monthly and decide by consensus.",
    )
    FundingCommitmentFactory(initiative=initiative, amount=Decimal("100000"), status="pledged")
    with scope(organization=world.org):
        services.section_update(version=version, key="executive_summary", body="We agree.")
    return version


def correct(indicator, period, value):
    with scopes_disabled():
        DataPoint.objects.filter(indicator=indicator, period=period).update(value=Decimal(value))


def test_the_draft_shows_indicators_targets_governance_and_funding_from_live_data(
    world, login, draft
):
    page = login(world.roundtable).get(f"{BASE}/versions/{draft.pk}/").content.decode()
    assert "Households below the low-income measure" in page
    assert "14,200" in page and "13,500" in page  # baseline and latest approved value
    assert "Targets tied to indicators" in page and "Living wage employers" in page
    assert "<svg" in page
    assert "We meet monthly and decide by consensus." in page
    assert "Funding commitments" in page and "100,000.00" in page


def test_an_adopted_version_keeps_the_data_of_adoption_day_on_its_page_and_pdf(
    world, login, draft, indicator
):
    adopt(draft, world.coordinator, ADOPTED_ON)
    correct(indicator, "2025", "9999")
    page = login(world.roundtable).get(f"{BASE}/versions/{draft.pk}/").content.decode()
    assert "13,500" in page and "9,999" not in page
    with scopes_disabled():
        version = PlanVersion.objects.get(pk=draft.pk)
        text = "\n".join(
            p.extract_text()
            for p in PdfReader(io.BytesIO(plan_pdf_bytes(version_content(version)))).pages
        )
    assert "13,500" in text and "9,999" not in text
    # The next draft starts from it and shows today's data.
    with scope(organization=world.org):
        new = services.draft_start(plan=draft.plan)
        assert StrategyTarget.objects.filter(strategy__goal__version=new).count() == 1
    page = login(world.roundtable).get(f"{BASE}/versions/{new.pk}/").content.decode()
    assert "9,999" in page


def test_a_data_correction_changes_the_drafts_content_hash_so_its_pdf_is_made_again(
    world, draft, indicator
):
    with scopes_disabled():
        before = content_hash(version_content(draft))
        correct(indicator, "2025", "13400")
        assert content_hash(version_content(draft)) != before


def test_the_snapshot_cannot_be_rewritten_after_adoption(world, draft):
    adopt(draft, world.coordinator, ADOPTED_ON)
    with scopes_disabled():
        version = PlanVersion.objects.get(pk=draft.pk)
        version.data_snapshot = {"now": "<p>rewritten</p>"}
        with pytest.raises(VersionFrozenError):
            version.save()
        with pytest.raises(VersionFrozenError):
            PlanVersion.objects.filter(pk=draft.pk).update(data_snapshot={})
        target = StrategyTarget.objects.get()
        with pytest.raises(VersionFrozenError):
            target.delete()


def test_a_target_without_a_date_gets_a_message_next_to_the_field(world, login, draft, indicator):
    with scopes_disabled():
        strategy = draft.goals.get().strategies.get()
    response = login(world.coordinator).post(
        f"{BASE}/versions/{draft.pk}/targets/",
        {"strategy": strategy.pk, "indicator": indicator.pk, "value": "11000", "date": ""},
    )
    assert response.status_code == 422
    assert "A target needs a date: say by when it is reached." in response.content.decode()
    with scopes_disabled():
        assert StrategyTarget.objects.count() == 1


def test_a_coordinator_ties_a_strategy_to_an_indicator_with_a_dated_target(
    world, login, draft, indicator
):
    with scopes_disabled():
        strategy = draft.goals.get().strategies.get()
    login(world.coordinator).post(
        f"{BASE}/versions/{draft.pk}/targets/",
        {
            "strategy": strategy.pk,
            "indicator": indicator.pk,
            "value": "11000",
            "date": "2030-12-31",
        },
    )
    with scopes_disabled():
        target = StrategyTarget.objects.get(value=Decimal("11000"))
    assert target.date == datetime.date(2030, 12, 31) and target.indicator == indicator


def test_an_indicator_of_another_initiative_is_refused(world, draft):
    other = IndicatorFactory(initiative=InitiativeFactory(organization=world.org))
    with scopes_disabled():
        strategy = draft.goals.get().strategies.get()
        with pytest.raises(ValidationError, match="indicator of this plan's initiative"):
            services.strategy_target_create(
                strategy=strategy, indicator=other, value=Decimal(1), date=datetime.date(2030, 1, 1)
            )


@pytest.mark.parametrize("adopted", [False, True])
def test_the_plan_page_with_data_sections_runs_a_fixed_number_of_queries(world, login, adopted):
    counts = []
    client = login(world.roundtable)
    for size in (1, 8):
        initiative = InitiativeFactory(organization=world.org)
        version = draft_of(started_plan(initiative))
        goal = GoalFactory(version=version)
        for i in range(size):
            indicator = IndicatorFactory(initiative=initiative, frequency="annual")
            DataPointFactory(indicator=indicator, period="2025", status="approved")
            StrategyTargetFactory(strategy=StrategyFactory(goal=goal), indicator=indicator)
            TeamFactory(initiative=initiative, name=f"Action team {i}")
            FundingCommitmentFactory(initiative=initiative)
        if adopted:
            adopt(version, world.coordinator, ADOPTED_ON)
        client.get(f"{BASE}/versions/{version.pk}/")
        with CaptureQueriesContext(connection) as queries:
            assert client.get(f"{BASE}/versions/{version.pk}/").status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1], counts


def test_comparing_versions_shows_a_changed_target(world, draft, indicator):
    from plans.diff import compare_versions

    adopt(draft, world.coordinator, ADOPTED_ON)
    with scope(organization=world.org):
        new = services.draft_start(plan=draft.plan)
        target = StrategyTarget.objects.get(strategy__goal__version=new)
        services.content_delete(item=target)
        services.strategy_target_create(
            strategy=target.strategy,
            indicator=indicator,
            value=Decimal("11500"),
            date=datetime.date(2029, 12, 31),
        )
        diffs = {
            d.key: d
            for d in compare_versions(
                version_content(PlanVersion.objects.get(pk=draft.pk)), version_content(new)
            )
        }
    html = str(diffs["strategy_targets"].html)
    assert diffs["strategy_targets"].changed
    assert "<del>12,000</del>" in html or "<del>12,000 by 2028-12-31</del>" in html
    assert "11,500" in html and "2029-12-31" in html


def test_the_engagement_strategy_shows_what_was_recorded_beside_its_targets(
    world, login, initiative
):
    from django.utils import timezone

    from ..initiatives.factories import AttendanceFactory, EngagementEventFactory
    from .factories import EngagementActivityFactory

    version = draft_of(started_plan(initiative))
    EngagementActivityFactory(
        version=version,
        level="consult",
        title="Community conversations",
        target_number=300,
        target="residents",
    )
    held = EngagementEventFactory(initiative=initiative, kind="community_conversation")
    AttendanceFactory.create_batch(3, event=held)
    EngagementEventFactory(
        initiative=initiative, kind="tour", starts_at=timezone.now() + datetime.timedelta(days=9)
    )
    client = login(world.coordinator)
    body = client.get(f"{BASE}/versions/{version.pk}/").content.decode()
    assert "Engagement recorded so far" in body
    assert '<td>Community conversation</td><td class="num">1</td><td class="num">3</td>' in body
    assert "3 people engaged from 1 sectors" in body
    assert "the activities above aim for 300" in body
    assert (
        "Tour" not in body.split("Engagement recorded so far")[1].split("</table>")[0]
    )  # not held yet
