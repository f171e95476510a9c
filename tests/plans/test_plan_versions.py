"""Versioning: a draft is edited, adoption freezes it for good by every path."""

import datetime

import pytest
from django.contrib.admin.sites import site
from django.core.exceptions import ValidationError
from django.test import RequestFactory
from django_scopes import scope

from plans.forms import SectionForm
from plans.models import (
    SECTION_ORDER,
    BudgetLine,
    Goal,
    PlanSection,
    PlanVersion,
    Strategy,
    VersionFrozenError,
)
from plans.services import plan as services

from ..initiatives.factories import InitiativeFactory
from ..stakeholders.factories import ContactFactory
from .factories import BudgetLineFactory, GoalFactory, StrategyFactory, draft_of, started_plan

ADOPTED_ON = datetime.date(2027, 3, 4)


@pytest.fixture
def adopted(world):
    """An adopted version with text, a goal, a strategy and a budget line."""
    plan = started_plan(InitiativeFactory(organization=world.org, name="Poverty Reduction"))
    version = draft_of(plan)
    goal = GoalFactory(version=version, title="Every family has a living income")
    lead = ContactFactory(organization=world.org, first_name="Ada", last_name="Lovelace")
    StrategyFactory(goal=goal, title="Living wage employers", lead_contact=lead)
    BudgetLineFactory(version=version, item="Backbone staff", amount="90000.00", year=2027)
    with scope(organization=world.org):
        services.section_update(version=version, key="executive_summary", body="We agree.")
        services.version_adopt(
            version=version,
            adopted_on=ADOPTED_ON,
            adopted_by_body="Leadership roundtable",
            user=world.coordinator,
        )
    return version


def test_a_new_plan_starts_with_an_empty_draft_holding_every_section_in_the_seeds_order(world):
    plan = started_plan(InitiativeFactory(organization=world.org))
    with scope(organization=world.org):
        version = draft_of(plan)
        keys = list(PlanSection.objects.filter(version=version).values_list("key", flat=True))
    assert version.number == 1 and version.status == "draft"
    assert sorted(keys, key=SECTION_ORDER.index) == SECTION_ORDER
    assert SECTION_ORDER[0] == "executive_summary" and SECTION_ORDER[-1] == "appendices"


def test_adopting_records_the_date_and_the_body_and_freezes_the_version(world, adopted):
    with scope(organization=world.org):
        adopted.refresh_from_db()
    assert adopted.status == PlanVersion.Status.ADOPTED
    assert adopted.adopted_on == ADOPTED_ON
    assert adopted.adopted_by_body == "Leadership roundtable"
    assert adopted.adopted_by_user == world.coordinator


def test_adopting_an_empty_plan_is_refused_with_a_clear_message(world):
    version = draft_of(started_plan(InitiativeFactory(organization=world.org)))
    with scope(organization=world.org), pytest.raises(ValidationError, match="empty"):
        services.version_adopt(
            version=version, adopted_on=ADOPTED_ON, adopted_by_body="LRT", user=world.admin
        )
    with scope(organization=world.org):
        version.refresh_from_db()
    assert version.status == "draft"


def test_the_service_refuses_to_change_an_adopted_version(world, adopted):
    with scope(organization=world.org):
        with pytest.raises(VersionFrozenError):
            services.section_update(version=adopted, key="executive_summary", body="Changed")
        with pytest.raises(VersionFrozenError):
            services.goal_create(version=adopted, title="Sneaky goal")
        with pytest.raises(VersionFrozenError):
            services.content_delete(item=BudgetLine.objects.get(version=adopted))
        with pytest.raises(VersionFrozenError):
            services.version_adopt(
                version=adopted, adopted_on=ADOPTED_ON, adopted_by_body="Again", user=world.admin
            )
        assert PlanSection.objects.get(version=adopted, key="executive_summary").body == (
            "We agree."
        )


def test_model_save_and_delete_refuse_on_an_adopted_version(world, adopted):
    with scope(organization=world.org):
        section = PlanSection.objects.get(version=adopted, key="executive_summary")
        section.body = "Rewritten history"
        with pytest.raises(VersionFrozenError):
            section.save()
        goal = Goal.objects.get(version=adopted)
        with pytest.raises(VersionFrozenError):
            goal.delete()
        strategy = Strategy.objects.get(goal=goal)
        strategy.title = "Other"
        with pytest.raises(VersionFrozenError):
            strategy.save()
        version = PlanVersion.objects.get(pk=adopted.pk)
        version.adopted_by_body = "Someone else"
        with pytest.raises(VersionFrozenError):
            version.save()
        with pytest.raises(VersionFrozenError):
            version.delete()
        # A new row slipped into the adopted version is a change too.
        with pytest.raises(VersionFrozenError):
            BudgetLine.objects.create(
                organization=world.org, version=adopted, item="x", amount=1, year=2027
            )
        assert PlanSection.objects.get(pk=section.pk).body == "We agree."


def test_bulk_update_and_delete_refuse_on_an_adopted_version(world, adopted):
    with scope(organization=world.org):
        with pytest.raises(VersionFrozenError):
            PlanSection.objects.filter(version=adopted).update(body="")
        with pytest.raises(VersionFrozenError):
            Strategy.objects.filter(goal__version=adopted).delete()
        with pytest.raises(VersionFrozenError):
            PlanVersion.objects.filter(pk=adopted.pk).update(status="draft")
        with pytest.raises(VersionFrozenError):
            PlanVersion.objects.filter(pk=adopted.pk).delete()
        assert Strategy.objects.filter(goal__version=adopted).count() == 1


def test_a_form_on_an_adopted_section_is_invalid_and_says_why(world, adopted):
    with scope(organization=world.org):
        section = PlanSection.objects.get(version=adopted, key="executive_summary")
        form = SectionForm({"body": "Changed"}, instance=section)
        assert not form.is_valid()
        assert "frozen" in " ".join(form.non_field_errors())


def test_the_admin_offers_no_change_or_delete_of_an_adopted_version(world, adopted):
    request = RequestFactory().get("/")
    request.user = world.admin
    world.admin.is_superuser = True
    for model, obj in [
        (PlanVersion, adopted),
        (PlanSection, PlanSection.objects.with_scopes_disabled().filter(version=adopted)[0]),
    ]:
        model_admin = site._registry[model]
        assert not model_admin.has_change_permission(request, obj)
        assert not model_admin.has_delete_permission(request, obj)


def test_the_next_draft_starts_as_a_copy_of_the_adopted_version(world, adopted):
    with scope(organization=world.org):
        draft = services.draft_start(plan=adopted.plan)
        assert draft.number == 2 and draft.based_on == adopted and draft.status == "draft"
        assert PlanSection.objects.get(version=draft, key="executive_summary").body == "We agree."
        goal = Goal.objects.get(version=draft)
        assert goal.title == "Every family has a living income"
        strategy = goal.strategies.get()
        assert strategy.lead_name == "Ada Lovelace"
        assert BudgetLine.objects.get(version=draft).amount == 90000
        # Editing the copy leaves the adopted version as it was.
        services.section_update(version=draft, key="executive_summary", body="We agree, more.")
        assert PlanSection.objects.get(version=adopted, key="executive_summary").body == (
            "We agree."
        )
        # Asking again gives the same draft, never a second one.
        assert services.draft_start(plan=adopted.plan) == draft


def test_comments_are_taken_on_drafts_only(world, adopted):
    with scope(organization=world.org), pytest.raises(ValidationError, match="already adopted"):
        services.comment_add(
            version=adopted, section_key="budget", author=world.roundtable, body="Hm"
        )


def test_the_database_refuses_an_adopted_version_without_date_or_body(world):
    from django.db import IntegrityError, transaction

    version = draft_of(started_plan(InitiativeFactory(organization=world.org)))
    with scope(organization=world.org), pytest.raises(IntegrityError), transaction.atomic():
        PlanVersion.objects.filter(pk=version.pk).update(status="adopted")
