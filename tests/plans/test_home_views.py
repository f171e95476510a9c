"""The organization's front page, by role: each person's own work, a few items per section
with a count, in a fixed number of queries and a small page whatever the organization's size."""

import datetime
import re
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django_scopes import scopes_disabled

from backbone.models import JobRun, Role
from initiatives.models import WorkStatus
from measures.models import DataPoint
from plans.models import PlanVersion, ReportCard
from plans.services.plan import draft_start, section_update
from stakeholders.models import Partner, PartnerMembership

from ..factories import InvitationFactory
from ..initiatives.factories import (
    ActionItemFactory,
    CommitmentFactory,
    DeliverableFactory,
    EngagementEventFactory,
    InitiativeFactory,
    InitiativePartnerFactory,
)
from ..measures.factories import (
    AgreementFactory,
    DataPointFactory,
    DataRequestFactory,
    IndicatorFactory,
)
from ..stakeholders.factories import PartnerFactory, PartnerMembershipFactory
from .factories import (
    CommentFactory,
    NewsletterFactory,
    ReportCardFactory,
    adopt,
    draft_of,
    started_plan,
)

HOME = "/o/riverside/"
Status = DataPoint.Status


def our_partner(world) -> Partner:
    """The partner the world's partner user reports for (made on first use)."""
    with scopes_disabled():
        link = PartnerMembership.objects.filter(membership__user=world.partner).first()
    if link:
        return link.partner
    return PartnerMembershipFactory(
        membership=world.membership(world.partner), partner__name="Riverside Food Bank"
    ).partner


def grow(world, size: int) -> None:
    """`size` initiatives, each with everything a home lists: values submitted (one a big
    jump), returned and approved; data owed and late; work overdue and due; events coming;
    a draft and an adopted plan with a comment; report cards; failed jobs; invitations."""
    partner = our_partner(world)
    today = timezone.localdate(timezone=world.org.tzinfo)
    for n in range(size):
        initiative = InitiativeFactory(
            organization=world.org, name=f"Initiative {n:03}", start_date=datetime.date(2025, 1, 1)
        )
        InitiativePartnerFactory(initiative=initiative, partner=partner)
        CommitmentFactory(initiative=initiative, partner=partner)
        indicator = IndicatorFactory(
            initiative=initiative,
            name=f"Hampers given {n:03}",
            disaggregation={"Age group": ["0–17", "18+"]},
        )
        DataRequestFactory(indicator=indicator, partner=partner)
        AgreementFactory(
            initiative=initiative, kind="mou", title=f"Memorandum {n:03}",
            expires_on=today + datetime.timedelta(days=20 + n), parties=[partner],
        )  # fmt: skip
        for period, value in (("2025-Q4", "900"), ("2026-Q1", "1000")):
            DataPointFactory(
                indicator=indicator, partner=partner, period=period, value=Decimal(value),
                status=Status.APPROVED,
            )  # fmt: skip
        DataPointFactory(
            indicator=indicator, partner=partner, period="2026-Q2", value=Decimal("999999")
        )
        DataPointFactory(indicator=indicator, partner=partner, period="2026-Q2", cell="Age group: 0–17", value=Decimal("5"))  # fmt: skip
        DataPointFactory(indicator=indicator, partner=partner, period="2026-Q2", cell="Age group: 18+", value=Decimal("5"))  # fmt: skip
        DataPointFactory(
            indicator=indicator, partner=partner, period="2025-Q3", value=Decimal("7"),
            status=Status.RETURNED, return_reason=f"Count households, not people ({n})",
        )  # fmt: skip
        ActionItemFactory(initiative=initiative, due_date=today - datetime.timedelta(days=3))
        DeliverableFactory(initiative=initiative, due_date=today + datetime.timedelta(days=2))
        DeliverableFactory(initiative=initiative, due_date=today, status=WorkStatus.DONE)
        EngagementEventFactory(
            initiative=initiative, starts_at=timezone.now() + datetime.timedelta(days=n + 1)
        )
        plan = started_plan(initiative)
        with scopes_disabled():
            section_update(version=draft_of(plan), key="executive_summary", body="Together.")
        adopt(draft_of(plan), world.coordinator, today)
        with scopes_disabled():
            draft = draft_start(plan=plan)
        CommentFactory(version=draft, author=world.roundtable, body=f"Name the streets ({n})")
        ReportCardFactory(initiative=initiative, period=str(2000 + n))
        ReportCardFactory(
            initiative=initiative, period=str(1900 + n), status=ReportCard.Status.ISSUED, snapshot={},
            issued_at=timezone.now(),
        )  # fmt: skip
        JobRun.objects.create(
            organization=world.org, task_name=f"plans.render_plan_pdf {n}", status="failed"
        )
        InvitationFactory(organization=world.org, email=f"new{n}@example.org")
    monday = today - datetime.timedelta(days=today.weekday())
    NewsletterFactory(organization=world.org, week_of=monday, subject="This week in Riverside")


def home(client) -> tuple[int, str]:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(HOME)
    assert response.status_code == 200
    return len(captured), response.content.decode()


def section(html: str, key: str) -> str:
    start = html.index(f'id="home-{key}"')
    return html[start : html.index("</section>", start)]


@pytest.fixture
def grown(world):
    grow(world, 2)
    return world


def test_the_coordinator_sees_values_to_approve_with_their_flags_and_what_is_late(grown, login):
    _, html = home(login(grown.coordinator))
    approvals = section(html, "approvals")
    assert "Hampers given 000 · 2026-Q2 · Riverside Food Bank" in approvals
    assert "999,999" in approvals and "last approved 1,000" in approvals
    assert "Big jump" in approvals and "Breakdown ≠ total" in approvals
    assert '<span class="badge home-count">6</span>' in approvals  # 3 values × 2 initiatives
    assert "Riverside Food Bank" in section(html, "late")
    work = section(html, "work")
    assert "Action:" in work and "overdue since" in work and "Deliverable:" in work
    assert '<span class="badge home-count">4</span>' in work  # the done deliverable is not
    assert "Community conversation" in section(html, "events")
    assert "This week in Riverside" in section(html, "newsletter")
    agreements = section(html, "agreements")
    assert "Riverside Food Bank reports “Hampers given 000” without a data-sharing" in agreements
    assert "“Memorandum 000” expires" in agreements
    assert '<span class="badge home-count">4</span>' in agreements  # 2 requests, 2 expiring
    assert '<span class="badge home-count">2</span>' in section(html, "cards_to_issue")
    assert "Name the streets (1)" in section(html, "comments")
    assert 'id="home-jobs"' not in html


def test_the_admin_sees_the_coordinators_home_and_failed_jobs_and_invitations(grown, login):
    _, html = home(login(grown.admin))
    assert 'id="home-approvals"' in html
    assert "plans.render_plan_pdf 1" in section(html, "jobs")
    assert "new0@example.org" in section(html, "invitations")


def test_the_partner_sees_what_it_owes_what_came_back_and_why(grown, login):
    _, html = home(login(grown.partner))
    owed = section(html, "owed")
    assert "overdue since" in owed and "/measures/initiatives/" in owed
    # The CSV upload of each initiative owed is one click away (it asks which period).
    uploads = re.findall(r'href="(/o/riverside/measures/initiatives/\d+/enter/upload/)"', owed)
    assert len(uploads) == len(set(uploads)) >= 1
    assert "Upload a CSV of values for Initiative 00" in owed
    returned = section(html, "returned")
    assert "Returned: Count households, not people (0)" in returned
    assert "?period=2025-Q3" in returned
    assert "999,999" in section(html, "submitted")
    assert "1,000" in section(html, "approved")
    assert "Initiative 001" in section(html, "commitments")
    assert 'id="home-approvals"' not in html and "Failed jobs" not in html


def test_a_partner_sees_nothing_of_another_partner(grown, login):
    other = PartnerFactory(organization=grown.org, name="Other Shelter")
    with scopes_disabled():
        point = DataPoint.objects.filter(status=Status.RETURNED).first()
    DataPointFactory(
        indicator=point.indicator, partner=other, period="2025-Q2", status=Status.RETURNED,
        return_reason="Their secret reason",
    )  # fmt: skip
    _, html = home(login(grown.partner))
    assert "Their secret reason" not in html and "Other Shelter" not in html


def test_the_roundtable_sees_drafts_report_cards_plans_and_trends(grown, login):
    _, html = home(login(grown.roundtable))
    assert "Initiative 000 · version 2" in section(html, "drafts")
    assert "Initiative 001 · 1901" in section(html, "cards")
    assert "2000" not in section(html, "cards")  # drafts are not shown to the roundtable
    assert "Initiative 000 · version 1" in section(html, "plans")
    indicators = section(html, "indicators")
    assert "Hampers given 000" in indicators and "1,000 · Improving" in indicators
    assert 'id="home-approvals"' not in html


def test_an_unlinked_partner_user_is_told_to_ask_the_backbone(world, login):
    _, html = home(login(world.partner))
    assert "not linked to a partner organization yet" in html


@pytest.mark.parametrize("role", list(Role))
def test_each_home_runs_the_same_queries_and_stays_small_at_ten_times_the_data(world, login, role):
    client = login(world.member(role))
    grow(world, 1)
    small, small_html = home(client)
    grow(world, 10)
    large, large_html = home(client)
    assert small == large, (role, small, large)
    assert len(large_html.encode()) <= 150 * 1024
    assert large_html.count("See all") > small_html.count("See all") or role == Role.ROUNDTABLE


def test_with_nothing_yet_every_section_says_so(world, login):
    _, html = home(login(world.coordinator))
    assert "Nothing waits for approval." in html and "No partner is late." in html
    with scopes_disabled():
        assert not PlanVersion.objects.exists()
