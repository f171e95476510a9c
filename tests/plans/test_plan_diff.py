"""Comparing two versions section by section."""

import datetime

from django_scopes import scope

from plans.diff import compare_versions, diff_lines
from plans.selectors.plan import version_content
from plans.services import plan as services

from ..initiatives.factories import InitiativeFactory
from .factories import BudgetLineFactory, GoalFactory, draft_of, started_plan


def test_a_changed_word_is_marked_inside_its_line():
    changed, html = diff_lines(["Halve poverty by 2035."], ["Halve child poverty by 2035."])
    assert changed
    assert '<li class="diff-removed">Halve poverty by 2035.</li>' in html
    assert "Halve <ins>child</ins> poverty by 2035." in html


def test_nothing_in_the_text_can_inject_markup():
    changed, html = diff_lines([], ['<script>alert("x")</script>'])
    assert changed and "<script>" not in html
    assert "&lt;script&gt;" in html


def test_equal_lines_are_not_changes():
    changed, html = diff_lines(["Same"], ["Same"])
    assert not changed and '<li class="diff-same">Same</li>' in html


def test_versions_differ_in_text_goals_and_budget_section_by_section(world):
    plan = started_plan(InitiativeFactory(organization=world.org))
    v1 = draft_of(plan)
    GoalFactory(version=v1, title="Living incomes")
    BudgetLineFactory(version=v1, item="Backbone staff", amount="85000.00", year=2027)
    with scope(organization=world.org):
        services.section_update(version=v1, key="change", body="Fewer families in poverty.")
        services.version_adopt(
            version=v1,
            adopted_on=datetime.date(2027, 1, 1),
            adopted_by_body="Leadership roundtable",
            user=world.admin,
        )
        v2 = services.draft_start(plan=plan)
        services.goal_create(version=v2, title="Affordable homes")
        services.budget_line_create(version=v2, item="Engagement", amount=5000, year=2027)
        diffs = {d.key: d for d in compare_versions(version_content(v1), version_content(v2))}
    assert not diffs["change"].changed and not diffs["executive_summary"].changed
    assert diffs["vision_goals"].changed and "<ins>Goal: Affordable homes</ins>" in (
        diffs["vision_goals"].html
    )
    assert diffs["budget"].changed and "Engagement" in diffs["budget"].html
    assert "Backbone staff" in diffs["budget"].html  # context kept, unchanged
