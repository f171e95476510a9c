"""Deliverables, action items, teams, risks and funding: the rows of an initiative."""

import datetime
import re
from decimal import Decimal

from django.utils import timezone
from django_scopes import scope

from initiatives.models import (
    ActionItem,
    FundingCommitment,
    Risk,
    RiskLevel,
    TeamMember,
    WorkStatus,
)
from initiatives.selectors import funding_summary

from ..stakeholders.factories import ContactFactory, PartnerFactory
from .factories import (
    ActionItemFactory,
    DeliverableFactory,
    FundingCommitmentFactory,
    InitiativeFactory,
    RiskFactory,
    TeamFactory,
)
from .helpers import assert_refused

BASE = "/o/riverside/initiatives"


def test_an_action_item_is_added_in_place_with_a_lead_from_the_registry(world, login):
    initiative = InitiativeFactory(organization=world.org)
    lead = ContactFactory(organization=world.org, first_name="Rosa", last_name="Delgado")
    response = login(world.coordinator).post(
        f"{BASE}/{initiative.pk}/actions/",
        {
            "title": "Map the system",
            "lead": lead.pk,
            "due_date": "2027-03-01",
            "status": WorkStatus.NOT_STARTED,
        },
        HTTP_HX_REQUEST="true",
    )
    html = response.content.decode()
    assert html.lstrip().startswith('<div id="section">')
    assert "Map the system" in html and "Rosa Delgado" in html
    with scope(organization=world.org):
        assert ActionItem.objects.get().lead == lead


def test_a_due_date_before_the_start_or_an_empty_title_is_refused_next_to_the_field(world, login):
    initiative = InitiativeFactory(organization=world.org, start_date=datetime.date(2027, 1, 15))
    response = login(world.coordinator).post(
        f"{BASE}/{initiative.pk}/actions/",
        {"title": "", "due_date": "2026-12-01", "status": WorkStatus.NOT_STARTED},
    )
    assert_refused(response, 'id="add_title_error"', "can&#x27;t be before the initiative starts")
    with scope(organization=world.org):
        assert not ActionItem.objects.exists()


def test_a_contact_of_another_organization_cannot_lead(world, login):
    initiative = InitiativeFactory(organization=world.org)
    stranger = ContactFactory(organization=world.other_org)
    response = login(world.coordinator).post(
        f"{BASE}/{initiative.pk}/actions/",
        {"title": "Map the system", "lead": stranger.pk, "status": WorkStatus.NOT_STARTED},
    )
    assert response.status_code == 422
    with scope(organization=world.org):
        assert not ActionItem.objects.exists()


def test_a_deliverable_is_edited_inline_and_the_bad_input_keeps_the_saved_row(world, login):
    deliverable = DeliverableFactory(
        initiative__organization=world.org, title="Raise the funds", status=WorkStatus.NOT_STARTED
    )
    client = login(world.coordinator)
    url = f"{BASE}/deliverables/{deliverable.pk}/edit/"
    form = client.get(url, HTTP_HX_REQUEST="true").content.decode()
    assert f'<tr id="row-{deliverable.pk}"><td colspan="20">' in form
    saved = client.post(
        url,
        {"title": "Raise the funds", "status": WorkStatus.IN_PROGRESS, "evidence": "Two pledges"},
        HTTP_HX_REQUEST="true",
    ).content.decode()
    assert "In progress" in saved and "Two pledges" in saved
    refused = client.post(url, {"title": "", "status": WorkStatus.DONE}, HTTP_HX_REQUEST="true")
    assert_refused(refused, 'id="id_title_error"')  # the base layout tells htmx to swap 422
    with scope(organization=world.org):
        deliverable.refresh_from_db()
    assert (deliverable.title, deliverable.status) == ("Raise the funds", WorkStatus.IN_PROGRESS)


def test_removing_a_row_in_place_answers_nothing_to_swap_in(world, login):
    risk = RiskFactory(initiative__organization=world.org)
    response = login(world.coordinator).post(
        f"{BASE}/risks/{risk.pk}/remove/", HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200
    # Nothing to swap into the row: only the out-of-band note for the live region.
    assert re.fullmatch(
        r'\s*<div id="saved-status" hx-swap-oob="innerHTML">.*Removed “Risk \d+”\..*</div>\s*',
        response.content.decode(),
        re.S,
    )
    with scope(organization=world.org):
        assert not Risk.objects.exists()


def test_risks_are_listed_most_severe_first(world, login):
    initiative = InitiativeFactory(organization=world.org)
    for description, likelihood, impact in [
        ("Low low", RiskLevel.LOW, RiskLevel.LOW),
        ("High high", RiskLevel.HIGH, RiskLevel.HIGH),
        ("Medium high", RiskLevel.MEDIUM, RiskLevel.HIGH),
    ]:
        RiskFactory(
            initiative=initiative, description=description, likelihood=likelihood, impact=impact
        )
    html = login(world.roundtable).get(f"{BASE}/{initiative.pk}/risks/").content.decode()
    assert html.index("High high") < html.index("Medium high") < html.index("Low low")
    assert "Add a risk" not in html


def test_funding_amount_must_be_a_number_and_years_in_order(world, login):
    initiative = InitiativeFactory(organization=world.org)
    funder = PartnerFactory(organization=world.org)
    response = login(world.coordinator).post(
        f"{BASE}/{initiative.pk}/funding/",
        {
            "funder": funder.pk,
            "amount": "a lot",
            "currency": "CAD",
            "first_year": 2028,
            "last_year": 2027,
            "status": "pledged",
            "kind": "cash",
        },
    )
    assert_refused(response, "Enter the amount as a number, like 20000.")
    with scope(organization=world.org):
        assert not FundingCommitment.objects.exists()


def test_funding_totals_by_status_and_year_and_the_open_budget():
    # Vibrant Communities: $20,000 to build a plan, then $100,000 a year for 5 years matching.
    def cad(amount: int, years: tuple[int, int], status: str, kind: str = "cash"):
        first_year, last_year = years
        return FundingCommitment(
            amount=Decimal(amount),
            currency="CAD",
            first_year=first_year,
            last_year=last_year,
            status=status,
            kind=kind,
        )

    plan = cad(20000, (2027, 2027), "received")
    matching = cad(100000, (2028, 2032), "pledged")
    rooms = cad(5000, (2027, 2028), "received", kind="in_kind")
    summary = funding_summary([plan, matching, rooms])
    assert summary.by_status == {
        ("Pledged", "CAD"): Decimal(500000),
        ("Received", "CAD"): Decimal(30000),
    }
    assert summary.by_year[0] == (2027, "CAD", Decimal(20000), Decimal(5000))
    assert summary.by_year[1] == (2028, "CAD", Decimal(100000), Decimal(5000))
    assert len(summary.by_year) == 6
    assert summary.open_budget == {"CAD": Decimal(530000)}


def test_the_funding_page_shows_funders_and_totals(world, login):
    commitment = FundingCommitmentFactory(
        initiative__organization=world.org,
        funder__name="United Way Riverside",
        amount=Decimal(100000),
        first_year=2028,
        last_year=2032,
    )
    html = (
        login(world.roundtable).get(f"{BASE}/{commitment.initiative_id}/funding/").content.decode()
    )
    assert "United Way Riverside" in html
    assert "500,000.00" in html


def test_team_members_and_the_sponsor_are_managed_on_the_governance_page(world, login):
    team = TeamFactory(initiative__organization=world.org, name="Leadership roundtable")
    person = ContactFactory(organization=world.org, first_name="Joseph", last_name="Redsky")
    sponsor = PartnerFactory(organization=world.org, name="Riverside Community Foundation")
    client = login(world.coordinator)
    html = client.post(
        f"{BASE}/teams/{team.pk}/members/",
        {"contact": person.pk, "seat": "Lived experience"},
        HTTP_HX_REQUEST="true",
    ).content.decode()
    assert "Joseph Redsky" in html and "Lived experience" in html
    client.post(
        f"{BASE}/{team.initiative_id}/sponsor/", {"sponsor": sponsor.pk, "sponsor_seats": 2}
    )
    page = client.get(f"{BASE}/{team.initiative_id}/governance/").content.decode()
    assert "Riverside Community Foundation holds 2 seats on the leadership roundtable." in page
    with scope(organization=world.org):
        member = TeamMember.objects.get()
    client.post(f"{BASE}/team-members/{member.pk}/remove/")
    with scope(organization=world.org):
        assert not TeamMember.objects.exists()


def test_the_actions_due_view_lists_overdue_and_this_weeks_items_across_initiatives(world, login):
    today = timezone.localdate(timezone=world.org.tzinfo)
    first = InitiativeFactory(
        organization=world.org, start_date=today - datetime.timedelta(days=90)
    )
    second = InitiativeFactory(
        organization=world.org, start_date=today - datetime.timedelta(days=90)
    )
    ActionItemFactory(
        initiative=first, title="Late one", due_date=today - datetime.timedelta(days=2)
    )
    ActionItemFactory(
        initiative=second, title="Soon one", due_date=today + datetime.timedelta(days=3)
    )
    ActionItemFactory(
        initiative=second,
        title="Done one",
        due_date=today - datetime.timedelta(days=2),
        status=WorkStatus.DONE,
    )
    ActionItemFactory(
        initiative=first, title="Later one", due_date=today + datetime.timedelta(days=30)
    )
    html = login(world.roundtable).get(f"{BASE}/actions-due/").content.decode()
    assert "Late one" in html and "Soon one" in html
    assert "Done one" not in html and "Later one" not in html
    assert (
        html.index("Late one") < html.index("Due in the next seven days") < html.index("Soon one")
    )


def test_the_actions_due_view_pages_each_group_in_a_fixed_number_of_queries(world, login):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from initiatives.views.initiative import ACTIONS_PAGE_SIZE

    today = timezone.localdate(timezone=world.org.tzinfo)
    initiative = InitiativeFactory(
        organization=world.org, start_date=today - datetime.timedelta(days=90)
    )
    ActionItemFactory(initiative=initiative, title="Soon one", due_date=today)
    ActionItemFactory(
        initiative=initiative,
        title="Late 000",
        due_date=today.replace(day=1) - datetime.timedelta(days=90),
    )
    client = login(world.coordinator)
    with CaptureQueriesContext(connection) as few:
        client.get(f"{BASE}/actions-due/")
    for n in range(1, ACTIONS_PAGE_SIZE + 3):
        ActionItemFactory(
            initiative=initiative,
            title=f"Late {n:03d}",
            due_date=today - datetime.timedelta(days=60 - n),
        )
    with CaptureQueriesContext(connection) as many:
        html = client.get(f"{BASE}/actions-due/").content.decode()
    assert len(many) == len(few)
    assert html.count("Late 0") == ACTIONS_PAGE_SIZE and "Soon one" in html
    assert "Late 049" in html and "Late 050" not in html and "(53)" in html
    assert 'href="?overdue_page=2"' in html
    more = client.get(f"{BASE}/actions-due/", {"overdue_page": 2}, headers={"HX-Request": "true"})
    text = more.content.decode()
    assert text.startswith('\n<section class="card table-wrap" id="due-overdue">')
    assert "Late 050" in text and "Late 052" in text and "Late 049" not in text
    assert "Soon one" not in text and "<h1>" not in text


def test_a_status_changes_in_place_and_a_reader_only_sees_it(world, login):
    action = ActionItemFactory(initiative__organization=world.org, title="Map the system")
    url = f"{BASE}/actions/{action.pk}/status/"
    response = login(world.coordinator).post(
        url, {"status": WorkStatus.DONE}, HTTP_HX_REQUEST="true"
    )
    html = response.content.decode()
    assert html.lstrip().startswith(f'<tr id="row-{action.pk}">')
    assert '<option value="done" selected>' in html
    with scope(organization=world.org):
        action.refresh_from_db()
    assert action.status == WorkStatus.DONE
    refused = login(world.coordinator).post(url, {"status": "finished"}, HTTP_HX_REQUEST="true")
    assert "Choose one of the statuses." in refused.content.decode()
    assert login(world.roundtable).post(url, {"status": WorkStatus.NOT_STARTED}).status_code == 403
    page = login(world.roundtable).get(f"{BASE}/{action.initiative_id}/actions/").content.decode()
    assert '<span class="badge badge--done">Done</span>' in page
    assert 'name="status"' not in page


def test_a_funding_status_changed_in_place_updates_the_totals_and_says_it_was_saved(world, login):
    commitment = FundingCommitmentFactory(
        initiative__organization=world.org, funder__name="United Way", amount=Decimal(1234)
    )
    response = login(world.coordinator).post(
        f"{BASE}/funding/{commitment.pk}/status/", {"status": "received"}, HTTP_HX_REQUEST="true"
    )
    html = response.content.decode()
    assert html.lstrip().startswith(f'<tr id="row-{commitment.pk}"')
    totals = re.search(
        r'<div class="grid grid--2" id="funding-totals" hx-swap-oob="true">.*?</dl>', html, re.S
    )
    assert totals, html
    assert re.search(r"<dt>Received</dt><dd class=\"num\">1,234.00 CAD</dd>", totals.group(0))
    assert "Pledged" not in totals.group(0)
    assert "Saved: “United Way: 1234.00 CAD” is now Received." in html


def test_an_action_items_status_changed_in_place_keeps_its_select_for_the_focus(world, login):
    item = ActionItemFactory(initiative__organization=world.org, title="Host a listening session")
    response = login(world.coordinator).post(
        f"{BASE}/actions/{item.pk}/status/", {"status": WorkStatus.DONE}, HTTP_HX_REQUEST="true"
    )
    html = response.content.decode()
    # htmx gives the focus back to the element with the id the focused select had.
    assert f'<select name="status" id="status-{item.pk}">' in html
    assert "Saved: “Host a listening session” is now Done." in html
    assert "funding-totals" not in html


def test_deliverables_past_due_are_flagged_overdue_in_lists_and_on_the_initiative(world, login):
    late = DeliverableFactory(
        initiative__organization=world.org,
        title="Raise the funds",
        due_date=datetime.date(2026, 1, 5),
    )
    initiative = late.initiative
    DeliverableFactory(
        initiative=initiative,
        title="Draft a plan",
        due_date=datetime.date(2026, 1, 5),
        status=WorkStatus.DONE,
    )
    DeliverableFactory(
        initiative=initiative, title="Agree on governance", due_date=datetime.date(2030, 1, 1)
    )
    client = login(world.roundtable)

    page = client.get(f"{BASE}/{initiative.pk}/deliverables/").content.decode()
    rows = dict(
        re.findall(r'<tr id="row-\d+">\s*<th scope="row">([^<]+)</th>(.*?)</tr>', page, re.S)
    )
    assert "Overdue" in rows["Raise the funds"]
    assert "Overdue" not in rows["Draft a plan"]  # done, however late
    assert "Overdue" not in rows["Agree on governance"]  # not due yet

    detail = client.get(f"{BASE}/{initiative.pk}/").content.decode()
    assert re.search(r"Overdue deliverables</dt><dd[^>]*>.*?1 overdue", detail, re.S)
    listing = client.get(f"{BASE}/").content.decode()
    assert '<span class="badge badge--overdue">1 overdue</span>' in listing


def test_risk_badges_say_which_level_is_likelihood_and_which_impact(world, login):
    RiskFactory(
        initiative__organization=world.org,
        likelihood=RiskLevel.HIGH,
        impact=RiskLevel.MEDIUM,
        description="Funders pull back",
    )
    # The risks overview (the coordinator's home before it became each role's own).
    page = login(world.coordinator).get(f"{BASE}/overview/").content.decode()
    assert re.search(r"Likelihood: High · Impact: Medium</span>\s*Funders pull back", page)
    assert "High / Medium" not in page


def test_funding_takes_an_amount_typed_with_thousands_separators_and_shows_it_so(world, login):
    initiative = InitiativeFactory(organization=world.org)
    funder = PartnerFactory(organization=world.org)
    client = login(world.coordinator)
    response = client.post(
        f"{BASE}/{initiative.pk}/funding/",
        {
            "funder": funder.pk,
            "amount": "12,500",
            "currency": "CAD",
            "first_year": 2027,
            "last_year": 2028,
            "status": "pledged",
            "kind": "cash",
        },
    )
    assert response.status_code in (200, 302)
    with scope(organization=world.org):
        commitment = FundingCommitment.objects.get()
    assert commitment.amount == Decimal("12500")
    form = client.get(f"{BASE}/funding/{commitment.pk}/edit/").content.decode()
    assert 'value="12,500"' in form and "12500.00" not in form
