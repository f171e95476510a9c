"""A published report card at an unguessable public link (revocable), and report cards
drafted on a schedule when a period closes in the organization's time zone."""

import datetime
from decimal import Decimal

import pytest
from django.test import Client
from django_scopes import scope, scopes_disabled

from backbone.tasks import enqueue
from plans.models import ReportCard, ReportCardSchedule
from plans.services import report_card as report_cards
from plans.tasks import (
    dispatch_report_card_schedules,
    draft_scheduled_report_cards,
    render_report_card_pdf,
)

from ..initiatives.factories import InitiativeFactory
from ..measures.factories import DataPointFactory, IndicatorFactory
from .factories import ReportCardFactory

BASE = "/o/riverside/plans"
UTC = datetime.UTC


@pytest.fixture
def issued(world, django_capture_on_commit_callbacks):
    initiative = InitiativeFactory(organization=world.org, name="Poverty Reduction Roundtable")
    indicator = IndicatorFactory(initiative=initiative, name="Food hampers distributed")
    DataPointFactory(
        indicator=indicator, period="2027-Q2", value=Decimal("9460"), status="approved"
    )
    card = ReportCardFactory(initiative=initiative, period="2027-H1")
    with scope(organization=world.org), django_capture_on_commit_callbacks(execute=True):
        report_cards.report_card_issue(card=card, user=world.coordinator)
        enqueue(render_report_card_pdf, organization_id=world.org.pk, report_card_id=card.pk)
    return card


def public_path(card) -> str:
    with scopes_disabled():
        card.refresh_from_db()
    return f"/r/{card.public_token}/"


def test_an_anonymous_visitor_reads_a_published_card_and_downloads_its_pdf(world, login, issued):
    login(world.coordinator).post(f"{BASE}/report-cards/{issued.pk}/publish/")
    path = public_path(issued)
    assert len(issued.public_token) >= 43  # 32 random bytes, URL-safe base64
    anonymous = Client()
    page = anonymous.get(path)
    assert page.status_code == 200
    assert "Poverty Reduction Roundtable" in page.content.decode()
    assert "9,460" in page.content.decode()
    assert page["X-Robots-Tag"] == "noindex"
    pdf = anonymous.get(f"{path}pdf/")
    assert pdf["Content-Type"] == "application/pdf"
    assert b"".join(pdf.streaming_content).startswith(b"%PDF-")


def test_a_revoked_link_answers_404_and_publishing_again_makes_a_new_link(world, login, issued):
    client = login(world.coordinator)
    client.post(f"{BASE}/report-cards/{issued.pk}/publish/")
    old = public_path(issued)
    client.post(f"{BASE}/report-cards/{issued.pk}/unpublish/")
    assert Client().get(old).status_code == 404
    assert Client().get(f"{old}pdf/").status_code == 404
    client.post(f"{BASE}/report-cards/{issued.pk}/publish/")
    new = public_path(issued)
    assert new != old and Client().get(new).status_code == 200


def test_a_draft_cannot_be_published_and_unknown_tokens_are_404(world, login):
    draft = ReportCardFactory(initiative=InitiativeFactory(organization=world.org))
    response = login(world.coordinator).post(
        f"{BASE}/report-cards/{draft.pk}/publish/", follow=True
    )
    assert "Only an issued report card can be published." in response.content.decode()
    with scopes_disabled():
        assert ReportCard.objects.get(pk=draft.pk).public_token is None
    assert Client().get("/r/" + "x" * 43 + "/").status_code == 404
    assert Client().get("/r/short/").status_code == 404


def test_the_coordinator_sees_the_public_link_on_the_card(world, login, issued):
    client = login(world.coordinator)
    client.post(f"{BASE}/report-cards/{issued.pk}/publish/")
    page = client.get(f"{BASE}/report-cards/{issued.pk}/").content.decode()
    assert public_path(issued) in page and "Revoke the public link" in page


# Scheduled report cards.


@pytest.fixture
def scheduled(world):
    initiative = InitiativeFactory(
        organization=world.org, name="Poverty Reduction Roundtable", start_date="2025-01-15"
    )
    with scope(organization=world.org):
        report_cards.schedule_set(initiative=initiative, cadence="semi_annual")
    return initiative


def drafted(initiative) -> list[str]:
    with scopes_disabled():
        return list(
            ReportCard.objects.filter(initiative=initiative).values_list("period", flat=True)
        )


def test_a_closed_period_is_read_on_the_organizations_clock(world, scheduled):
    # 30 June 2027 13:00 UTC: already 1 July in Auckland, still 30 June in Toronto.
    now = datetime.datetime(2027, 6, 30, 13, 0, tzinfo=UTC)
    world.org.time_zone = "America/Toronto"
    world.org.save()
    with scope(organization=world.org):
        report_cards.scheduled_drafts(organization=world.org, now=now)
    assert drafted(scheduled) == ["2026-H2"]
    world.org.time_zone = "Pacific/Auckland"
    world.org.save()
    world.org.__dict__.pop("tzinfo", None)
    with scope(organization=world.org):
        report_cards.scheduled_drafts(organization=world.org, now=now)
    assert sorted(drafted(scheduled)) == ["2026-H2", "2027-H1"]


def test_running_twice_drafts_one_card_and_sends_one_notice_to_each(
    world, scheduled, mailoutbox, monkeypatch
):
    world.coordinator.language = "fr"
    world.coordinator.save(update_fields=["language"])
    now = datetime.datetime(2027, 7, 2, 9, 0, tzinfo=UTC)
    monkeypatch.setattr("django.utils.timezone.now", lambda: now)
    draft_scheduled_report_cards.delay(organization_id=world.org.pk)
    draft_scheduled_report_cards.delay(organization_id=world.org.pk)
    assert drafted(scheduled) == ["2027-H1"]
    with scopes_disabled():
        card = ReportCard.objects.get()
    assert card.status == ReportCard.Status.DRAFT and card.drafted_by_schedule
    # One notice to each of the staff, in their own language (the coordinator chose French).
    assert sorted(m.to[0] for m in mailoutbox) == sorted(
        [world.admin.email, world.coordinator.email]
    )
    language = {m.to[0]: m.extra_headers["Content-Language"] for m in mailoutbox}
    assert language == {world.admin.email: "en", world.coordinator.email: "fr"}
    notice = mailoutbox[0]
    assert "2027-H1" in notice.subject and "Poverty Reduction Roundtable" in notice.subject
    assert f"/o/riverside/plans/report-cards/{card.pk}/" in notice.body


def test_a_card_already_drafted_by_hand_is_not_drafted_again_nor_announced(
    world, scheduled, mailoutbox
):
    ReportCardFactory(initiative=scheduled, period="2027-H1")
    with scope(organization=world.org):
        report_cards.scheduled_drafts(
            organization=world.org, now=datetime.datetime(2027, 7, 2, tzinfo=UTC)
        )
    assert drafted(scheduled) == ["2027-H1"] and mailoutbox == []


def test_the_dispatcher_runs_one_job_per_organization_and_no_job_reads_another(
    world, scheduled, mailoutbox
):
    other = InitiativeFactory(organization=world.other_org)
    with scope(organization=world.other_org):
        report_cards.schedule_set(initiative=other, cadence="annual")
    assert dispatch_report_card_schedules.delay().get() >= 2
    with scopes_disabled():
        for card in ReportCard.objects.all():
            assert card.organization_id == card.initiative.organization_id
    northbay = [m for m in mailoutbox if "admin@northbay.test" in m.to]
    assert all(m.to == ["admin@northbay.test"] for m in northbay)


def test_a_coordinator_sets_and_stops_the_schedule_on_the_page(world, login):
    initiative = InitiativeFactory(organization=world.org)
    client = login(world.coordinator)
    url = f"{BASE}/initiatives/{initiative.pk}/report-cards/schedule/"
    client.post(url, {"cadence": "annual"})
    with scopes_disabled():
        assert ReportCardSchedule.objects.get(initiative=initiative).cadence == "annual"
    response = client.post(url, {"cadence": "weekly"})
    assert response.status_code == 422
    assert "Select a valid choice" in response.content.decode()
    client.post(url, {"cadence": ""})
    with scopes_disabled():
        assert not ReportCardSchedule.objects.filter(initiative=initiative).exists()
