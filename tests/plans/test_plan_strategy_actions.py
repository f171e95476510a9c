"""Each strategy of the plan lists the action items of the joint plan of action that serve it."""

import datetime

import pytest
from django.db.models import ProtectedError
from django_scopes import scope, scopes_disabled

from initiatives.services import action_item_remove
from plans.models import PlanVersion, StrategyAction, VersionFrozenError
from plans.services import plan as services

from ..initiatives.factories import ActionItemFactory, InitiativeFactory
from .factories import GoalFactory, StrategyFactory, draft_of, started_plan

BASE = "/o/riverside/plans"


@pytest.fixture
def draft(world):
    initiative = InitiativeFactory(organization=world.org, name="Poverty Reduction Roundtable")
    return draft_of(started_plan(initiative))


@pytest.fixture
def strategy(draft):
    return StrategyFactory(
        goal=GoalFactory(version=draft, title="Every family has a living income"),
        title="Living wage employers",
    )


def test_a_coordinator_links_an_action_item_and_the_plan_shows_it_under_the_strategy(
    world, login, draft, strategy
):
    action = ActionItemFactory(
        initiative=draft.plan.initiative,
        title="Recruit ten living wage employers",
        due_date=datetime.date(2027, 6, 30),
    )
    client = login(world.coordinator)
    response = client.post(
        f"{BASE}/versions/{draft.pk}/actions/", {"strategy": strategy.pk, "action_item": action.pk}
    )
    assert response.status_code == 302
    body = client.get(f"{BASE}/versions/{draft.pk}/").content.decode()
    section = body.split('id="section-strategy_targets"')[1]
    assert "Recruit ten living wage employers" in section
    assert "due June 30, 2027" in section


def test_an_action_item_of_another_initiative_is_refused(world, login, draft, strategy):
    elsewhere = ActionItemFactory(
        initiative=InitiativeFactory(organization=world.org), title="Book the bus tour"
    )
    response = login(world.coordinator).post(
        f"{BASE}/versions/{draft.pk}/actions/",
        {"strategy": strategy.pk, "action_item": elsewhere.pk},
    )
    assert response.status_code == 422
    assert "Select a valid choice" in response.content.decode()
    with scopes_disabled():
        assert not StrategyAction.objects.exists()


@pytest.fixture
def adopted_link(world, draft, strategy):
    """An action item linked to the strategy of a version that was then adopted."""
    action = ActionItemFactory(initiative=draft.plan.initiative, title="Share the data sheet")
    with scope(organization=world.org):
        link = services.strategy_action_link(strategy=strategy, action_item=action)
        services.version_adopt(
            version=PlanVersion.objects.get(pk=draft.pk),
            adopted_on=datetime.date(2026, 9, 20),
            adopted_by_body="Leadership roundtable",
            user=world.coordinator,
        )
    return action, link


def test_links_are_frozen_with_the_adopted_version_and_carried_into_the_next_draft(
    world, draft, adopted_link
):
    action, link = adopted_link
    with scope(organization=world.org):
        with pytest.raises(VersionFrozenError):
            StrategyAction.objects.get(pk=link.pk).delete()
        next_draft = services.draft_start(plan=draft.plan)
        carried = StrategyAction.objects.filter(strategy__goal__version=next_draft)
        assert [c.action_item_id for c in carried] == [action.pk]


def test_removing_an_action_item_never_rewrites_an_adopted_plan(world, login, adopted_link):
    action, link = adopted_link
    with scope(organization=world.org), pytest.raises(ProtectedError):
        action_item_remove(action_item=action)
    response = login(world.coordinator).post(
        f"/o/riverside/initiatives/actions/{action.pk}/remove/", follow=True
    )
    assert "it stays" in response.text
    with scope(organization=world.org):
        assert StrategyAction.objects.filter(pk=link.pk).exists()
