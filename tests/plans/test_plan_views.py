"""The plan pages per role: who reads, who comments, who edits and adopts."""

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django_scopes import scope

from initiatives.services import initiative_archive
from plans import page_cache
from plans.models import Comment, Goal, PlanSection, PlanVersion, SectionKey
from plans.services import plan as services

from ..initiatives.factories import InitiativeFactory, InitiativePartnerFactory
from ..stakeholders.factories import ContactFactory, PartnerMembershipFactory
from .factories import (
    BudgetLineFactory,
    CommentFactory,
    EngagementActivityFactory,
    GoalFactory,
    StrategyFactory,
    adopt,
    draft_of,
    started_plan,
)

BASE = "/o/riverside/plans"


def write(world, version, key, body):
    with scope(organization=world.org):
        services.section_update(version=version, key=key, body=body)


@pytest.fixture
def plan(world):
    """An adopted version 1 and a draft version 2 with a changed summary."""
    initiative = InitiativeFactory(organization=world.org, name="Poverty Reduction Roundtable")
    plan = started_plan(initiative)
    v1 = draft_of(plan)
    write(world, v1, "executive_summary", "Adopted summary text.")
    adopt(v1, world.coordinator, datetime.date(2027, 2, 1))
    with scope(organization=world.org):
        v2 = services.draft_start(plan=plan)
    write(world, v2, "executive_summary", "Draft summary text.")
    return plan


@pytest.fixture
def partner_user(world, plan):
    """world.partner linked to a partner taking part in the plan's initiative."""
    link = PartnerMembershipFactory(membership=world.membership(world.partner))
    InitiativePartnerFactory(initiative=plan.initiative, partner=link.partner)
    return world.partner


def versions(world, plan):
    with scope(organization=world.org):
        return (
            PlanVersion.objects.get(plan=plan, number=1),
            PlanVersion.objects.get(plan=plan, number=2),
        )


def test_the_index_lists_initiatives_with_their_adopted_plan_and_draft(world, login, plan):
    body = login(world.roundtable).get(f"{BASE}/").content.decode()
    assert "Poverty Reduction Roundtable" in body
    assert "Version 1" in body and "Leadership roundtable" in body
    assert "Draft version 2" in body
    assert "Start the plan" not in body


def test_a_coordinator_starts_a_plan_for_an_initiative(world, login):
    initiative = InitiativeFactory(organization=world.org, name="Early Years")
    client = login(world.coordinator)
    assert "Start the plan" in client.get(f"{BASE}/").content.decode()
    response = client.post(f"{BASE}/initiatives/{initiative.pk}/start/", follow=True)
    assert "Draft version 1" in response.content.decode()
    assert "Executive summary" in response.content.decode()


def test_the_roundtable_reads_the_draft_and_the_adopted_version_but_cannot_edit(world, login, plan):
    v1, v2 = versions(world, plan)
    client = login(world.roundtable)
    draft_page = client.get(f"{BASE}/versions/{v2.pk}/").content.decode()
    assert "Draft summary text." in draft_page
    assert "Adopt this version" not in draft_page and ">Edit<" not in draft_page
    assert "Comment on this section" in draft_page
    assert "Adopted summary text." in client.get(f"{BASE}/versions/{v1.pk}/").content.decode()
    assert client.get(f"{BASE}/versions/{v2.pk}/sections/budget/").status_code == 403
    assert client.post(f"{BASE}/versions/{v2.pk}/adopt/").status_code == 403


def test_a_partner_reads_only_the_adopted_plan_of_their_initiatives(
    world, login, plan, partner_user
):
    v1, v2 = versions(world, plan)
    client = login(partner_user)
    assert "Adopted summary text." in client.get(f"{BASE}/versions/{v1.pk}/").content.decode()
    assert client.get(f"{BASE}/versions/{v2.pk}/").status_code == 404
    assert client.get(f"{BASE}/initiatives/{plan.initiative_id}/").url.endswith(
        f"/versions/{v1.pk}/"
    )
    body = client.get(f"{BASE}/versions/{v1.pk}/").content.decode()
    assert "Comment on this section" not in body and "Draft version 2" not in body
    assert (
        client.post(f"{BASE}/versions/{v2.pk}/sections/budget/comments/", {"body": "x"}).status_code
        == 403
    )


def test_a_partner_of_another_initiative_sees_no_plan(world, login, plan):
    PartnerMembershipFactory(membership=world.membership(world.partner))
    v1, _v2 = versions(world, plan)
    client = login(world.partner)
    assert client.get(f"{BASE}/versions/{v1.pk}/").status_code == 404
    assert "Poverty Reduction Roundtable" not in client.get(f"{BASE}/").content.decode()


def test_a_roundtable_member_comments_on_a_draft_section(world, login, plan):
    _v1, v2 = versions(world, plan)
    response = login(world.roundtable).post(
        f"{BASE}/versions/{v2.pk}/sections/budget/comments/",
        {"body": "Please show the matching funds."},
        follow=True,
    )
    assert "Please show the matching funds." in response.content.decode()
    with scope(organization=world.org):
        comment = Comment.objects.get()
    assert comment.section_key == "budget" and comment.author == world.roundtable


def test_an_empty_comment_is_refused_next_to_the_field(world, login, plan):
    _v1, v2 = versions(world, plan)
    response = login(world.roundtable).post(
        f"{BASE}/versions/{v2.pk}/sections/budget/comments/", {"body": ""}
    )
    assert response.status_code == 422
    assert "This field is required." in response.content.decode()


def test_a_coordinator_edits_a_section_and_the_script_in_it_never_reaches_the_page(
    world, login, plan
):
    _v1, v2 = versions(world, plan)
    client = login(world.coordinator)
    url = f"{BASE}/versions/{v2.pk}/sections/change/"
    assert client.get(url).status_code == 200
    client.post(url, {"body": "Fewer families in **poverty**.<script>alert(1)</script>"})
    body = client.get(f"{BASE}/versions/{v2.pk}/").content.decode()
    assert "Fewer families in <strong>poverty</strong>." in body
    assert "alert(1)" not in body


def test_the_live_preview_returns_sanitized_html(world, login):
    response = login(world.coordinator).post(
        f"{BASE}/preview/",
        {"body": "## Goals\n\n<img src=x onerror=alert(1)>*together*"},
        HTTP_HX_REQUEST="true",
    )
    body = response.content.decode()
    assert body.startswith('<div id="plan-preview"')
    assert "<h2>Goals</h2>" in body and "<em>together</em>" in body
    assert "onerror" not in body


def test_editing_an_adopted_version_by_url_is_refused(world, login, plan):
    v1, _v2 = versions(world, plan)
    client = login(world.coordinator)
    response = client.post(
        f"{BASE}/versions/{v1.pk}/sections/executive_summary/", {"body": "Rewritten"}, follow=True
    )
    assert "frozen" in response.content.decode()
    client.post(f"{BASE}/versions/{v1.pk}/goals/", {"title": "Sneaky"})
    with scope(organization=world.org):
        assert PlanSection.objects.get(version=v1, key="executive_summary").body == (
            "Adopted summary text."
        )
        assert not Goal.objects.filter(version=v1).exists()


def test_a_coordinator_adopts_a_draft(world, login, plan):
    _v1, v2 = versions(world, plan)
    response = login(world.coordinator).post(
        f"{BASE}/versions/{v2.pk}/adopt/",
        {"adopted_on": "2026-09-15", "adopted_by_body": "Leadership roundtable"},
        follow=True,
    )
    assert "Version 2 is adopted and frozen." in response.content.decode()
    with scope(organization=world.org):
        v2.refresh_from_db()
    assert v2.is_adopted and v2.adopted_on == datetime.date(2026, 9, 15)


def test_an_adoption_date_in_the_future_is_refused_next_to_the_field(world, login, plan):
    _v1, v2 = versions(world, plan)
    tomorrow = timezone.localdate(timezone=world.org.tzinfo) + datetime.timedelta(days=2)
    response = login(world.coordinator).post(
        f"{BASE}/versions/{v2.pk}/adopt/",
        {"adopted_on": tomorrow.isoformat(), "adopted_by_body": "Leadership roundtable"},
    )
    assert response.status_code == 422
    assert "not in the future" in response.content.decode()
    with scope(organization=world.org):
        v2.refresh_from_db()
    assert not v2.is_adopted


def test_adopting_an_empty_draft_shows_why(world, login):
    version = draft_of(started_plan(InitiativeFactory(organization=world.org)))
    response = login(world.admin).post(
        f"{BASE}/versions/{version.pk}/adopt/",
        {"adopted_on": "2026-09-15", "adopted_by_body": "Leadership roundtable"},
    )
    assert response.status_code == 422
    assert "This draft is empty" in response.content.decode()


def test_adding_goals_strategies_budget_and_engagement_to_a_draft(world, login, plan):
    _v1, v2 = versions(world, plan)
    lead = ContactFactory(organization=world.org, first_name="Rosa", last_name="Diaz")
    client = login(world.coordinator)
    client.post(f"{BASE}/versions/{v2.pk}/goals/", {"title": "Every family has a living income"})
    with scope(organization=world.org):
        goal = Goal.objects.get(version=v2)
    client.post(
        f"{BASE}/versions/{v2.pk}/strategies/",
        {"goal": goal.pk, "title": "Living wage employers", "target": "40 employers",
         "lead_contact": lead.pk},
    )  # fmt: skip
    client.post(
        f"{BASE}/versions/{v2.pk}/budget/",
        {"item": "Backbone staff", "amount": "85000", "year": "2027", "source": "United Way"},
    )
    client.post(
        f"{BASE}/versions/{v2.pk}/engagement/",
        {"level": "consult", "title": "Community conversations", "target_number": "300",
         "target": "residents", "budget": "5000"},
    )  # fmt: skip
    body = client.get(f"{BASE}/versions/{v2.pk}/").content.decode()
    for text in ["Every family has a living income", "Living wage employers", "40 employers",
                 "Rosa Diaz", "Backbone staff", "85,000.00", "Community conversations", "300"]:  # fmt: skip
        assert text in body, text


def test_bad_budget_input_gets_a_message_and_saves_nothing(world, login, plan):
    _v1, v2 = versions(world, plan)
    response = login(world.coordinator).post(
        f"{BASE}/versions/{v2.pk}/budget/", {"item": "Staff", "amount": "-5", "year": "27"}
    )
    body = response.content.decode()
    assert response.status_code == 422
    assert "Enter an amount of zero or more." in body and "Enter a year like 2027." in body


def test_a_lead_from_another_organization_is_not_a_choice(world, login, plan):
    _v1, v2 = versions(world, plan)
    foreign = ContactFactory(organization=world.other_org)
    client = login(world.coordinator)
    client.post(f"{BASE}/versions/{v2.pk}/goals/", {"title": "Goal"})
    with scope(organization=world.org):
        goal = Goal.objects.get(version=v2)
    response = client.post(
        f"{BASE}/versions/{v2.pk}/strategies/",
        {"goal": goal.pk, "title": "S", "lead_contact": foreign.pk},
    )
    assert response.status_code == 422
    assert "Select a valid choice" in response.content.decode()


def test_comparing_versions_shows_a_readable_escaped_diff(world, login, plan):
    _v1, v2 = versions(world, plan)
    write(world, v2, "change", "<b>Bold claim</b> & more")
    body = login(world.roundtable).get(f"{BASE}/initiatives/{plan.initiative_id}/compare/")
    html = body.content.decode()
    assert "<del>Adopted</del>" in html and "<ins>Draft</ins>" in html
    assert "&lt;b&gt;Bold claim&lt;/b&gt; &amp; more" in html
    assert "Unchanged" in html  # sections that did not change say so


def make_large(world, version, n):
    from django_scopes import scopes_disabled

    from plans.models import StrategyAction

    from ..initiatives.factories import ActionItemFactory

    lead = ContactFactory(organization=world.org)
    for i in range(n):
        goal = GoalFactory(version=version)
        for _ in range(3):
            strategy = StrategyFactory(goal=goal, lead_contact=lead)
            action = ActionItemFactory(initiative=version.plan.initiative, lead=lead)
            with scopes_disabled():
                StrategyAction.objects.create(
                    organization=world.org, strategy=strategy, action_item=action
                )
        BudgetLineFactory(version=version, year=2027 + i % 3)
        EngagementActivityFactory(version=version, lead_contact=lead)
        CommentFactory(version=version, section_key=SectionKey.CHANGE, author=world.roundtable)


@pytest.mark.parametrize("role", ["coordinator", "roundtable"])
def test_the_plan_page_runs_a_fixed_number_of_queries(world, login, role):
    small = draft_of(started_plan(InitiativeFactory(organization=world.org)))
    large = draft_of(started_plan(InitiativeFactory(organization=world.org)))
    make_large(world, small, 1)
    make_large(world, large, 12)
    client = login(world.member(role))
    counts = []
    for version in (small, large):
        client.get(f"{BASE}/versions/{version.pk}/")  # warm the session
        with CaptureQueriesContext(connection) as queries:
            response = client.get(f"{BASE}/versions/{version.pk}/")
        assert response.status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1], counts


def test_the_index_runs_a_fixed_number_of_queries(world, login):
    client = login(world.roundtable)
    started_plan(InitiativeFactory(organization=world.org))
    client.get(f"{BASE}/")
    # The list as made (not as kept in the plan pages cache), then as kept.
    page_cache.plan_pages_bump(world.org.pk)
    with CaptureQueriesContext(connection) as small:
        client.get(f"{BASE}/")
    for _ in range(6):
        started_plan(InitiativeFactory(organization=world.org))
    with CaptureQueriesContext(connection) as large:
        client.get(f"{BASE}/")
    with CaptureQueriesContext(connection) as kept:
        client.get(f"{BASE}/")
    assert len(small) == len(large) > len(kept)


def test_the_index_is_paginated_and_searched_in_a_fixed_number_of_queries(world, login):
    from plans.views.plan import PLANS_PAGE_SIZE

    for i in range(PLANS_PAGE_SIZE + 3):
        InitiativeFactory(organization=world.org, name=f"Initiative {i:03d}")
    started_plan(InitiativeFactory(organization=world.org, name="Zz Literacy for all"))
    client = login(world.coordinator)
    with CaptureQueriesContext(connection) as first:
        body = client.get(f"{BASE}/").content.decode()
    assert body.count('scope="row"') == PLANS_PAGE_SIZE and "Page 1 of 2" in body
    with CaptureQueriesContext(connection) as last:
        body = client.get(f"{BASE}/", {"page": 2}).content.decode()
    assert body.count('scope="row"') == 4 and "Zz Literacy for all" in body
    assert "Draft version 1" in body
    found = client.get(f"{BASE}/", {"q": "literacy"}, headers={"HX-Request": "true"})
    text = found.content.decode()
    assert text.count('scope="row"') == 1 and "Zz Literacy" in text and "<h1>" not in text
    assert len(first) == len(last)


def archive(world, initiative):
    with scope(organization=world.org):
        initiative_archive(initiative=initiative)


def test_an_archived_initiatives_plan_stays_readable_to_its_readers(world, login, plan):
    archive(world, plan.initiative)
    with scope(organization=world.org):
        v1, v2 = plan.versions.order_by("number")
    client = login(world.roundtable)
    detail = client.get(f"{BASE}/initiatives/{plan.initiative_id}/", follow=True)
    assert detail.status_code == 200 and "Draft summary text." in detail.content.decode()
    coordinator_page = login(world.coordinator).get(f"{BASE}/versions/{v2.pk}/").content.decode()
    assert "Draft summary text." in coordinator_page
    assert "Adopt this version" not in coordinator_page  # no form that would answer 403
    assert "Adopted summary text." in client.get(f"{BASE}/versions/{v1.pk}/").content.decode()
    compare = client.get(f"{BASE}/initiatives/{plan.initiative_id}/compare/")
    assert compare.status_code == 200
    assert "Poverty Reduction Roundtable" not in client.get(f"{BASE}/").content.decode()


def test_nothing_of_an_archived_initiatives_plan_can_be_changed(world, login, plan):
    with scope(organization=world.org):
        v2 = plan.versions.get(number=2)
    goal = GoalFactory(version=v2, title="Goal before archiving")
    archive(world, plan.initiative)
    client = login(world.coordinator)
    for url, data in [
        (f"{BASE}/versions/{v2.pk}/sections/budget/", {"body": "Changed"}),
        (f"{BASE}/versions/{v2.pk}/goals/", {"title": "New goal"}),
        (f"{BASE}/goals/{goal.pk}/delete/", {}),
        (f"{BASE}/versions/{v2.pk}/sections/budget/comments/", {"body": "A remark"}),
        (f"{BASE}/versions/{v2.pk}/adopt/", {"adopted_on": "2027-02-01", "adopted_by_body": "R"}),
        (f"{BASE}/initiatives/{plan.initiative_id}/draft/", {}),
    ]:
        assert client.post(url, data).status_code == 403, url
    with scope(organization=world.org):
        assert Goal.objects.get(pk=goal.pk).title == "Goal before archiving"
        assert not Comment.objects.filter(version=v2).exists()
        assert PlanVersion.objects.get(pk=v2.pk).status == PlanVersion.Status.DRAFT
    # Reading the edit form is still a read.
    assert client.get(f"{BASE}/versions/{v2.pk}/sections/budget/").status_code == 200


def test_a_draft_changed_after_the_adopt_page_opened_is_not_adopted_unread(world, login, plan):
    _v1, v2 = versions(world, plan)
    client = login(world.coordinator)
    url = f"{BASE}/versions/{v2.pk}/adopt/"
    seen = re.search(r'name="seen" value="([^"]+)"', client.get(url).text).group(1)
    write(world, v2, "executive_summary", "Changed while the adopt page was open.")
    data = {"adopted_on": "2026-09-15", "adopted_by_body": "Leadership roundtable"}

    response = client.post(url, {**data, "seen": seen})

    assert response.status_code == 422
    assert "The draft changed since you opened this page" in response.text
    assert 'value="Leadership roundtable"' in response.text
    with scope(organization=world.org):
        v2.refresh_from_db()
    assert not v2.is_adopted
    again = re.search(r'name="seen" value="([^"]+)"', response.text).group(1)
    assert again != seen
    assert client.post(url, {**data, "seen": again}).status_code == 302
    with scope(organization=world.org):
        v2.refresh_from_db()
    assert v2.is_adopted
