from django.core.management import call_command
from django_scopes import scopes_disabled

from plans.models import Comment, Goal, PlanSection, PlanVersion, Strategy


def counts():
    return tuple(
        model.objects.count() for model in (PlanVersion, PlanSection, Goal, Strategy, Comment)
    )


def test_the_demo_has_an_adopted_plan_and_a_newer_draft_and_a_second_run_changes_nothing(db):
    call_command("seed_demo")
    with scopes_disabled():
        first = counts()
        v1, v2 = PlanVersion.objects.filter(
            plan__initiative__name="Poverty Reduction Roundtable"
        ).order_by("number")
        assert v1.is_adopted and v1.adopted_by_body == "Leadership roundtable"
        assert not v2.is_adopted and v2.based_on == v1
        change = {v.number: v.sections.get(key="change").body for v in (v1, v2)}
        assert "2,000 fewer households" in change[1] and "2,500 fewer households" in change[2]
    call_command("seed_demo")
    with scopes_disabled():
        assert counts() == first
