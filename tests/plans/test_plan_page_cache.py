"""A plan version's page is kept in the cache (plans.page_cache): a second visit reads none
of the version's rows, and any change to what it shows — a save, an `update()` the
services bump by hand, a rename in the measures — shows at the next visit; what is kept
is never another member's or another language's page."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django_scopes import scope, scopes_disabled

from backbone.models import Organization
from measures.chart_cache import measures_bump
from measures.models import Indicator
from plans import page_cache
from plans.models import PlanPdf
from plans.services import plan as services

from ..initiatives.factories import (
    DeliverableFactory,
    InitiativeFactory,
    InitiativePartnerFactory,
    TeamFactory,
)
from ..measures.factories import DataPointFactory, IndicatorFactory
from ..stakeholders.factories import ContactFactory, PartnerMembershipFactory
from .factories import ReportCardFactory, adopt, draft_of, request_pdf, started_plan

pytestmark = pytest.mark.django_db

BASE = "/o/riverside/plans"


def main(html: str) -> str:
    """The page's own content (the header and forms hold a CSRF token masked anew)."""
    return html[html.index("<main") : html.index("</main>")]


def visit(client, version) -> tuple[list[str], str]:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(f"{BASE}/versions/{version.pk}/")
    assert response.status_code == 200
    return [q["sql"] for q in captured.captured_queries], response.content.decode()


def plan_rows(sqls: list[str]) -> list[str]:
    """The queries of the version's own rows (its access reads plans_planversion once)."""
    return [sql for sql in sqls if '"plans_' in sql and "plans_planversion" not in sql]


@pytest.fixture
def draft(world):
    initiative = InitiativeFactory(organization=world.org, name="Poverty Reduction Roundtable")
    version = draft_of(started_plan(initiative))
    with scope(organization=world.org):
        services.section_update(version=version, key="executive_summary", body="First words.")
    return version


def test_a_second_visit_reads_none_of_the_versions_rows(world, login, draft):
    client = login(world.coordinator)
    first, first_html = visit(client, draft)
    second, second_html = visit(client, draft)
    assert plan_rows(first) and plan_rows(second) == []
    assert len(second) < len(first)
    assert "First words." in second_html
    assert main(second_html).count("csrfmiddlewaretoken") == main(first_html).count(
        "csrfmiddlewaretoken"
    )


def test_a_saved_section_shows_at_the_next_visit(world, login, draft):
    client = login(world.coordinator)
    visit(client, draft)
    with scope(organization=world.org):
        services.section_update(version=draft, key="executive_summary", body="Second words.")
    _sqls, html = visit(client, draft)
    assert "Second words." in html and "First words." not in html


def test_a_team_saved_in_the_initiative_shows_at_the_next_visit(world, login, draft):
    client = login(world.coordinator)
    assert "Data working group" not in visit(client, draft)[1]
    team = TeamFactory(initiative=draft.plan.initiative, name="Data working group")
    assert "Data working group" in visit(client, draft)[1]
    with scopes_disabled():
        team.delete()
    assert "Data working group" not in visit(client, draft)[1]


def test_a_pdf_state_changed_by_an_update_shows_at_the_next_visit(world, login, draft):
    client = login(world.coordinator)
    with scope(organization=world.org):
        pdf = request_pdf(draft)
    assert "Rendering" not in visit(client, draft)[1]
    # The rendering job marks its row with update(), as plan_pdf_render does.
    with scopes_disabled():
        PlanPdf.objects.filter(pk=pdf.pk).update(status=PlanPdf.Status.RENDERING)
    page_cache.plan_pages_bump(world.org.pk)
    assert "Rendering" in visit(client, draft)[1]
    # The panel htmx polls reads the same kept reads.
    panel = client.get(f"{BASE}/versions/{draft.pk}/pdf/", HTTP_HX_REQUEST="true")
    assert "Rendering" in panel.content.decode()
    with scopes_disabled():
        PlanPdf.objects.filter(pk=pdf.pk).update(status=PlanPdf.Status.FAILED)
    page_cache.plan_pages_bump(world.org.pk)
    panel = client.get(f"{BASE}/versions/{draft.pk}/pdf/", HTTP_HX_REQUEST="true")
    assert "Rendering" not in panel.content.decode()


def test_an_indicator_renamed_by_the_measures_shows_at_the_next_visit(world, login, draft):
    indicator = IndicatorFactory(initiative=draft.plan.initiative, name="Food bank visits")
    DataPointFactory(indicator=indicator, period="2026", status="approved")
    client = login(world.coordinator)
    assert "Food bank visits" in visit(client, draft)[1]
    # The measures rename with update() and bump their own stamp only (measures.definitions).
    with scopes_disabled():
        Indicator.objects.filter(pk=indicator.pk).update(name="Pantry visits")
    measures_bump(world.org.pk)
    html = visit(client, draft)[1]
    assert "Pantry visits" in html and "Food bank visits" not in html


def test_a_partner_never_gets_the_page_kept_for_a_coordinator(world, login, draft):
    adopt(draft, world.coordinator, datetime.date(2027, 2, 1))
    with scope(organization=world.org):
        services.draft_start(plan=draft.plan)
    link = PartnerMembershipFactory(membership=world.membership(world.partner))
    InitiativePartnerFactory(initiative=draft.plan.initiative, partner=link.partner)
    assert "Version 2</a>" in visit(login(world.coordinator), draft)[1]  # the draft, listed
    html = visit(login(world.partner), draft)[1]
    assert "First words." in html and "Version 2" not in html


def test_the_page_kept_in_english_is_not_served_in_french(world, login, draft):
    client = login(world.coordinator)
    assert "Executive summary" in visit(client, draft)[1]
    # Without a save (no new stamp): only the language in the key tells the pages apart.
    with scopes_disabled():
        Organization.objects.filter(pk=world.org.pk).update(language="fr")
    html = main(visit(client, draft)[1])
    assert "Sommaire" in html and "Executive summary" not in html


def visit_card(client, card) -> tuple[list[str], str]:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(f"{BASE}/report-cards/{card.pk}/")
    assert response.status_code == 200
    return [q["sql"] for q in captured.captured_queries], response.content.decode()


def test_a_draft_cards_data_is_read_once_and_a_deliverable_saved_shows_next(world, login):
    card = ReportCardFactory(initiative=InitiativeFactory(organization=world.org))
    client = login(world.coordinator)
    first, _html = visit_card(client, card)
    second, html = visit_card(client, card)
    assert len(second) <= 3 < len(first)  # session user, membership, the card
    assert "together" in html and "Ramp built" not in html
    DeliverableFactory(initiative=card.initiative, title="Ramp built")
    assert "Ramp built" in visit_card(client, card)[1]
    with scope(organization=world.org):
        card.narrative = "We moved **apart**."
        card.save(update_fields=["narrative"])
    html = visit_card(client, card)[1]
    assert "apart" in html and "together" not in html


def test_the_drafts_blank_forms_are_kept_and_a_new_lead_shows_next(world, login, draft):
    with scope(organization=world.org):
        services.goal_create(version=draft, title="Fewer families in need")
    client = login(world.coordinator)
    first, html = visit(client, draft)
    assert "Add strategy" in html and "Zora Quill" not in html
    second, _html = visit(client, draft)
    assert not [sql for sql in second if "stakeholders_contact" in sql]
    ContactFactory(organization=world.org, first_name="Zora", last_name="Quill")
    assert "Zora Quill" in visit(client, draft)[1]  # a choice of the strategy's lead


def test_a_form_posted_with_errors_shows_them_not_the_kept_blank_one(world, login, draft):
    client = login(world.coordinator)
    visit(client, draft)
    response = client.post(f"{BASE}/versions/{draft.pk}/goals/", {"title": ""})
    assert response.status_code == 422
    html = response.content.decode()
    assert 'class="field field--error"' in html
    assert '<details class="plan-add" open>' in html


def visit_index(client, **params) -> tuple[list[str], str]:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(f"{BASE}/", params)
    assert response.status_code == 200
    return [q["sql"] for q in captured.captured_queries], response.content.decode()


def test_the_plans_list_is_read_once_and_a_plan_started_shows_next(world, login, draft):
    waiting = InitiativeFactory(organization=world.org, name="Early years")
    client = login(world.coordinator)
    first, html = visit_index(client)
    second, html = visit_index(client)
    initiative_reads = [sql for sql in second if 'FROM "initiatives_initiative"' in sql]
    assert len(second) < len(first) and initiative_reads == []
    assert html.count("Start the plan") == 1 and "csrfmiddlewaretoken" in html
    started_plan(waiting)
    assert "Start the plan" not in visit_index(client)[1]
    html = visit_index(client, q="early")[1]
    assert "Early years" in html and "Poverty Reduction Roundtable" not in html


def test_a_partner_never_gets_the_plans_list_kept_for_a_coordinator(world, login, draft):
    PartnerMembershipFactory(membership=world.membership(world.partner))
    assert "Poverty Reduction Roundtable" in visit_index(login(world.coordinator))[1]
    assert "Poverty Reduction Roundtable" not in visit_index(login(world.partner))[1]
