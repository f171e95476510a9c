"""Only coordinators and admins write; the view enforces it whatever the template shows."""

import pytest
from django.core.exceptions import ValidationError
from django_scopes import scope

from plans.models import Goal, PlanPdf
from plans.services import plan as services

from ..initiatives.factories import InitiativeFactory, InitiativePartnerFactory
from ..stakeholders.factories import ContactFactory, PartnerMembershipFactory
from .factories import BudgetLineFactory, GoalFactory, draft_of, request_pdf, started_plan

BASE = "/o/riverside/plans"


@pytest.fixture
def draft(world):
    initiative = InitiativeFactory(organization=world.org)
    link = PartnerMembershipFactory(membership=world.membership(world.partner))
    InitiativePartnerFactory(initiative=initiative, partner=link.partner)
    return draft_of(started_plan(initiative))


def edit_requests(draft):
    goal = GoalFactory(version=draft)
    line = BudgetLineFactory(version=draft)
    initiative = draft.plan.initiative_id
    return [
        (f"{BASE}/initiatives/{initiative}/start/", {}),
        (f"{BASE}/initiatives/{initiative}/draft/", {}),
        (f"{BASE}/preview/", {"body": "x"}),
        (
            f"{BASE}/versions/{draft.pk}/adopt/",
            {"adopted_on": "2026-01-01", "adopted_by_body": "x"},
        ),
        (f"{BASE}/versions/{draft.pk}/sections/budget/", {"body": "x"}),
        (f"{BASE}/versions/{draft.pk}/goals/", {"title": "x"}),
        (f"{BASE}/versions/{draft.pk}/strategies/", {"goal": goal.pk, "title": "x"}),
        (f"{BASE}/versions/{draft.pk}/budget/", {"item": "x", "amount": "1", "year": "2027"}),
        (f"{BASE}/versions/{draft.pk}/engagement/", {"level": "inform", "title": "x"}),
        (f"{BASE}/goals/{goal.pk}/delete/", {}),
        (f"{BASE}/budget-lines/{line.pk}/delete/", {}),
    ]


@pytest.mark.parametrize("role", ["partner", "roundtable"])
def test_readers_can_not_write_to_a_plan(world, login, draft, role):
    client = login(world.member(role))
    for url, data in edit_requests(draft):
        assert client.post(url, data).status_code == 403, url
    with scope(organization=world.org):
        assert Goal.objects.filter(version=draft).count() == 1  # the one made above
        assert draft_of(draft.plan).pk == draft.pk


def test_partners_may_not_comment(world, login, draft):
    response = login(world.partner).post(
        f"{BASE}/versions/{draft.pk}/sections/budget/comments/", {"body": "x"}
    )
    assert response.status_code == 403


def test_a_lead_from_another_organization_is_refused_by_the_service(world, draft):
    goal = GoalFactory(version=draft)
    foreign = ContactFactory(organization=world.other_org)
    with scope(organization=world.org), pytest.raises(ValidationError, match="registry"):
        services.strategy_create(goal=goal, title="S", lead_contact=foreign)


def test_rendering_the_same_pdf_twice_does_the_work_once(
    world, draft, django_capture_on_commit_callbacks
):
    from plans.tasks import render_plan_pdf

    with scope(organization=world.org):
        services.section_update(version=draft, key="change", body="Text")
        with django_capture_on_commit_callbacks(execute=True):
            pdf = request_pdf(draft)
    result = render_plan_pdf.delay(organization_id=world.org.pk, pdf_id=pdf.pk).get()
    assert result == "already rendered"
    with scope(organization=world.org):
        assert PlanPdf.objects.get(pk=pdf.pk).status == PlanPdf.Status.READY


def test_a_task_can_not_reach_another_organizations_pdf(world, draft):
    from plans.tasks import render_plan_pdf

    with scope(organization=world.org):
        pdf = PlanPdf.objects.create(organization=world.org, version=draft, content_hash="x")
    with pytest.raises(PlanPdf.DoesNotExist):
        render_plan_pdf.delay(organization_id=world.other_org.pk, pdf_id=pdf.pk).get()
