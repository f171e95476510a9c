"""A partner's yearly capacity self-assessment: who may answer it, its history, the
partner page and the table of every partner that shows where help is needed."""

import re

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django_scopes import scope, scopes_disabled

from stakeholders.models import CapacityAssessment

from ..backbone.stale_saves import EditCase, check_stale_save_refused
from ..initiatives.factories import InitiativeFactory, InitiativePartnerFactory
from .factories import CapacityAssessmentFactory, PartnerFactory, PartnerMembershipFactory

DIMENSIONS = ("data_capacity", "staff_time", "technology", "consent_practices", "leadership")


def url(world, name, **kwargs):
    return reverse(f"stakeholders:{name}", kwargs={"org_slug": world.org.slug, **kwargs})


def answers(**scores):
    data = {}
    for name in DIMENSIONS:
        data[name] = scores.get(name, 3)
        data[f"{name}_comment"] = ""
    return data


def own_partner(world):
    return PartnerMembershipFactory(
        membership=world.membership(world.partner), organization=world.org
    ).partner


def test_a_partner_user_fills_their_partners_assessment_for_this_year(world, login):
    partner = own_partner(world)
    client = login(world.partner)
    page = client.get(url(world, "capacity_answer", partner_id=partner.pk))
    assert page.status_code == 200
    assert "Capacity of" in page.text and "2026" in page.text  # the suite's clock year
    assert "on behalf" not in page.text
    data = answers(data_capacity=1, leadership=4)
    data["data_capacity_comment"] = "Paper tallies only"
    response = client.post(url(world, "capacity_answer", partner_id=partner.pk), data)
    assert response.status_code == 302
    with scope(organization=world.org):
        saved = CapacityAssessment.objects.get(partner=partner)
    assert (saved.year, saved.data_capacity, saved.leadership) == (2026, 1, 4)
    assert saved.answered_by == world.partner and not saved.on_behalf
    text = client.get(url(world, "partner_detail", partner_id=partner.pk)).text
    assert "Paper tallies only" in text and "1 · We need a lot of help" in text


def test_staff_answer_on_a_partners_behalf_and_the_answer_says_so(world, login):
    partner = PartnerFactory(organization=world.org, name="Food bank")
    client = login(world.coordinator)
    page = client.get(url(world, "capacity_answer", partner_id=partner.pk)).text
    assert "on behalf of Food bank" in page
    client.post(url(world, "capacity_answer", partner_id=partner.pk), answers())
    with scope(organization=world.org):
        assert CapacityAssessment.objects.get(partner=partner).on_behalf
    text = login(world.roundtable).get(url(world, "partner_detail", partner_id=partner.pk)).text
    assert "(staff) on the partner's behalf" in text


def test_answering_again_in_a_year_replaces_it_and_past_years_stay(world, login, clock):
    partner = own_partner(world)
    client = login(world.partner)
    target = url(world, "capacity_answer", partner_id=partner.pk)
    client.post(target, answers(technology=1))
    clock.shift(365 * 86400)
    client = login(world.partner)  # a year on, the session has long expired
    client.post(target, answers(technology=2))
    seen = client.get(target).text
    client.post(target, {**answers(technology=4), "seen": _seen(seen)})
    with scope(organization=world.org):
        rows = {a.year: a.technology for a in CapacityAssessment.objects.filter(partner=partner)}
    assert rows == {2026: 1, 2027: 4}
    assert "Earlier years" in client.get(target).text


def _seen(page: str) -> str:
    return re.search(r'name="seen" value="([0-9a-f]*)"', page).group(1)


def test_a_score_outside_one_to_four_is_refused_with_422(world, login):
    partner = own_partner(world)
    response = login(world.partner).post(
        url(world, "capacity_answer", partner_id=partner.pk), answers(staff_time=5)
    )
    assert response.status_code == 422
    with scope(organization=world.org):
        assert not CapacityAssessment.objects.exists()


def test_who_may_answer_and_who_may_read_the_table(world, login):
    partner = own_partner(world)
    other = PartnerFactory(organization=world.org)
    answer = url(world, "capacity_answer", partner_id=partner.pk)
    assert login(world.roundtable).get(answer).status_code == 403
    assert login(world.partner).get(answer).status_code == 200
    # A partner user answers for their own partner only: another is 404.
    other_answer = url(world, "capacity_answer", partner_id=other.pk)
    assert login(world.partner).get(other_answer).status_code == 404
    assert login(world.partner).get(url(world, "capacity_table")).status_code == 403
    for user in (world.admin, world.coordinator, world.roundtable):
        assert login(user).get(url(world, "capacity_table")).status_code == 200


def test_the_table_shows_where_partners_need_help_and_filters(world, login):
    weak = PartnerFactory(organization=world.org, name="Small church")
    strong = PartnerFactory(organization=world.org, name="Public health")
    PartnerFactory(organization=world.org, name="Silent partner")
    CapacityAssessmentFactory(organization=world.org, partner=weak, year=2026, technology=1)
    CapacityAssessmentFactory(organization=world.org, partner=strong, year=2026, technology=4)
    CapacityAssessmentFactory(organization=world.org, partner=strong, year=2025, technology=1)
    client = login(world.coordinator)
    text = client.get(url(world, "capacity_table")).text
    assert "2 partners answered for 2026" in text
    assert "Technology: 1 needs help" in text
    assert 'class="num capacity--help" data-label="Technology">1' in text
    assert "Not answered" in text  # the silent partner
    helped = client.get(url(world, "capacity_table"), {"needs_help": "technology"}).text
    assert "Small church" in helped and "Public health" not in helped
    silent = client.get(url(world, "capacity_table"), {"needs_help": "unanswered"}).text
    assert "Silent partner" in silent and "Small church" not in silent
    last_year = client.get(url(world, "capacity_table"), {"year": 2025}).text
    assert "1 partner answered for 2025" in last_year


def _table_queries(world, login, size: int) -> tuple[int, int]:
    """The queries of the organization's and an initiative's capacity tables with `size`
    partners, all answered and taking part."""
    initiative = InitiativeFactory(organization=world.org)
    for _ in range(size):
        row = CapacityAssessmentFactory(organization=world.org, year=2026, staff_time=1)
        InitiativePartnerFactory(initiative=initiative, partner=row.partner)
    client = login(world.coordinator)
    counts = []
    for page in (
        url(world, "capacity_table"),
        reverse(
            "initiatives:capacity",
            kwargs={"org_slug": world.org.slug, "initiative_id": initiative.pk},
        ),
    ):
        client.get(page)  # warm the session
        with CaptureQueriesContext(connection) as queries:
            response = client.get(page)
        assert response.status_code == 200
        assert response.text.count('data-label="Staff time">1') == size
        counts.append(len(queries))
    return counts[0], counts[1]


def test_the_tables_run_a_fixed_number_of_queries_whatever_their_size(world, login):
    small = _table_queries(world, login, 2)
    with scopes_disabled():
        CapacityAssessment.objects.all().delete()
    large = _table_queries(world, login, 30)
    assert small == large, (small, large)


def test_a_stale_save_of_the_assessment_is_refused(world, login):
    partner = PartnerFactory(organization=world.org)
    row = CapacityAssessmentFactory(organization=world.org, partner=partner, year=2026)
    page = url(world, "capacity_answer", partner_id=partner.pk)
    fields = {k: v for k, v in answers().items() if k != "technology_comment"}
    case = EditCase(row, page, page, "technology_comment", "Their words", "My words", fields)
    check_stale_save_refused(world, login, case)


def test_an_initiative_shows_the_capacity_of_its_partners_only(world, login):
    initiative = InitiativeFactory(organization=world.org)
    taking_part = PartnerFactory(organization=world.org, name="At the table")
    PartnerFactory(organization=world.org, name="Elsewhere")
    InitiativePartnerFactory(organization=world.org, initiative=initiative, partner=taking_part)
    CapacityAssessmentFactory(organization=world.org, partner=taking_part, year=2026, staff_time=2)
    page = reverse(
        "initiatives:capacity", kwargs={"org_slug": world.org.slug, "initiative_id": initiative.pk}
    )
    text = login(world.roundtable).get(page).text
    assert "At the table" in text and "Elsewhere" not in text
    assert "Staff time: 1 needs help" in text
    assert login(world.partner).get(page).status_code == 403


def test_a_partner_users_home_asks_for_this_years_assessment_until_it_is_given(world, login):
    partner = own_partner(world)
    home = reverse("organization_home", kwargs={"org_slug": world.org.slug})
    client = login(world.partner)
    answer = url(world, "capacity_answer", partner_id=partner.pk)
    asked = client.get(home).text
    assert "Tell the backbone about your capacity in 2026" in asked and answer in asked
    client.post(answer, answers())
    given = client.get(home).text
    assert "Tell the backbone" not in given and "Capacity in 2026" in given
