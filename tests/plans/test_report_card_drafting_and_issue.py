"""Report cards: assembled from approved data, issued as frozen snapshots with a stored PDF."""

import io
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django_scopes import scope, scopes_disabled
from pypdf import PdfReader

from backbone.tasks import enqueue
from initiatives.services import initiative_archive
from measures.models import DataPoint
from plans import tasks
from plans.models import ReportCard, ReportCardFrozenError
from plans.pdf import report_card_pdf_bytes
from plans.selectors import report_card as selectors
from plans.services import report_card as report_cards

from ..initiatives.factories import (
    ActionItemFactory,
    DeliverableFactory,
    InitiativeFactory,
    InitiativePartnerFactory,
)
from ..measures.factories import DataPointFactory, IndicatorFactory, TargetFactory
from ..stakeholders.factories import PartnerMembershipFactory
from .factories import ReportCardFactory, falling_indicator

BASE = "/o/riverside/plans"
APPROVED = DataPoint.Status.APPROVED


@pytest.fixture
def indicator(initiative):
    indicator = falling_indicator(
        initiative,
        "Households using the food bank each month",
        frequency="quarterly",
        baseline="3400",
        approved={"2026-Q3": "3350", "2026-Q4": "3310", "2027-Q1": "3275"},
    )
    TargetFactory(indicator=indicator, value=Decimal("2900"), date="2027-12-31")
    return indicator


@pytest.fixture
def card(initiative, indicator):
    return ReportCardFactory(initiative=initiative, period="2027-H1")


@pytest.fixture
def issue(world, django_capture_on_commit_callbacks):
    """Issue as the coordinator, and queue the PDF job as the page does: it runs when
    the transaction commits."""

    def issue(card):
        with scope(organization=world.org), django_capture_on_commit_callbacks(execute=True):
            card = report_cards.report_card_issue(card=card, user=world.coordinator)
            enqueue(
                tasks.render_report_card_pdf,
                organization_id=card.organization_id,
                report_card_id=card.pk,
            )
            return card

    return issue


def correct_latest_value(indicator, value: str):
    """A partner's value corrected and approved again after the card was issued."""
    with scopes_disabled():
        DataPoint.objects.filter(indicator=indicator, period="2027-Q1").update(value=Decimal(value))


def test_a_draft_shows_each_indicator_against_baseline_and_target_from_approved_data_only(
    world, card, indicator
):
    DataPointFactory(indicator=indicator, period="2027-Q2", value=Decimal("1"))  # submitted only
    DeliverableFactory(initiative=card.initiative, title="Draft a plan", status="done")
    ActionItemFactory(initiative=card.initiative, title="Open a tax clinic", status="done")
    with scope(organization=world.org):
        data = selectors.assemble(card)
    (row,) = data["indicators"]
    assert row["baseline"] == "3,400"
    assert row["latest"] == "3,275" and row["latest_period"] == "2027-Q1"
    assert row["target"] == "2,900"
    assert row["in_period"] == [["2027-Q1", "3,275"]]
    assert row["trend"] == "improving"
    assert "<svg" in row["chart"]
    assert data["with_data_in_period"] == 1
    assert [d["title"] for d in data["deliverables"]] == ["Draft a plan"]
    assert [m["title"] for m in data["milestones_done"]] == ["Open a tax clinic"]
    assert "<strong>together</strong>" in data["narrative_html"]


def test_issuing_a_period_with_no_approved_data_is_refused_with_a_clear_message(
    world, initiative, indicator, issue
):
    card = ReportCardFactory(initiative=initiative, period="2025")
    with pytest.raises(ValidationError, match="no approved data for 2025"):
        issue(card)
    with scopes_disabled():
        card.refresh_from_db()
    assert card.status == ReportCard.Status.DRAFT and card.snapshot is None


def test_issuing_from_the_page_says_why_it_was_refused(world, login, initiative, indicator):
    card = ReportCardFactory(initiative=initiative, period="2025")
    response = login(world.coordinator).post(f"{BASE}/report-cards/{card.pk}/issue/", follow=True)
    assert "There is no approved data for 2025 yet" in response.content.decode()


def test_an_issued_card_is_a_snapshot_a_later_correction_changes_nothing(
    world, login, card, indicator, issue
):
    issue(card)
    correct_latest_value(indicator, "9999")
    page = login(world.roundtable).get(f"{BASE}/report-cards/{card.pk}/").content.decode()
    assert "3,275" in page and "9,999" not in page
    with scopes_disabled():
        card.refresh_from_db()
        assert selectors.card_data(card)["indicators"][0]["latest"] == "3,275"
        # The stored PDF and a PDF made now from the card both show the value of issue day.
        stored = card.pdf.read()
        again = report_card_pdf_bytes(card, selectors.card_data(card))
    for data in (stored, again):
        text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(data)).pages)
        assert "3,275" in text and "9,999" not in text


def test_the_draft_follows_the_correction(world, card, indicator):
    correct_latest_value(indicator, "3100")
    with scope(organization=world.org):
        assert selectors.card_data(card)["indicators"][0]["latest"] == "3,100"


def test_an_issued_card_can_never_be_changed(world, card, issue):
    issue(card)
    with scopes_disabled():
        card.refresh_from_db()
        with pytest.raises(ReportCardFrozenError):
            report_cards.report_card_update(card=card, narrative="Rewritten history")
        card.narrative = "Rewritten history"
        with pytest.raises(ReportCardFrozenError):
            card.save()
        with pytest.raises(ReportCardFrozenError):
            report_cards.report_card_delete(card=card)
        with pytest.raises(ReportCardFrozenError):
            ReportCard.objects.filter(pk=card.pk).update(snapshot={"indicators": []})
        with pytest.raises(ReportCardFrozenError):
            ReportCard.objects.filter(pk=card.pk).delete()
        with pytest.raises(ReportCardFrozenError):
            card.delete()
        with pytest.raises(ValidationError, match="already issued"):
            report_cards.report_card_issue(card=card, user=world.coordinator)
        assert ReportCard.objects.get(pk=card.pk).narrative == "We moved **together**."


def test_issuing_renders_the_pdf_once_into_storage(world, card, initiative, issue):
    issue(card)
    with scopes_disabled():
        card.refresh_from_db()
        assert card.pdf_status == ReportCard.PdfStatus.READY
        data = card.pdf.read()
    assert data.startswith(b"%PDF-")
    reader = PdfReader(io.BytesIO(data))
    assert 4 <= len(reader.pages) <= 12
    text = "\n".join(p.extract_text() for p in reader.pages)
    assert "Poverty Reduction Roundtable" in text
    assert "3,275" in text
    assert "Page 2 of" in text
    assert reader.metadata.title.startswith("Poverty Reduction Roundtable")


def test_a_card_for_a_period_that_is_not_six_months_or_a_year_is_refused(world, login, initiative):
    response = login(world.coordinator).post(
        f"{BASE}/initiatives/{initiative.pk}/report-cards/new/", {"period": "2027-Q1"}
    )
    assert response.status_code == 422
    assert "Enter six months like" in response.content.decode()
    with scopes_disabled():
        assert not ReportCard.objects.exists()


def test_a_second_card_for_the_same_period_is_refused(world, login, card):
    response = login(world.coordinator).post(
        f"{BASE}/initiatives/{card.initiative_id}/report-cards/new/", {"period": "2027-H1"}
    )
    assert response.status_code == 422
    assert "already a report card for 2027-H1" in response.content.decode()


def test_a_coordinator_drafts_writes_and_issues_a_card_through_the_pages(
    world, login, initiative, indicator, django_capture_on_commit_callbacks
):
    client = login(world.coordinator)
    response = client.post(
        f"{BASE}/initiatives/{initiative.pk}/report-cards/new/", {"period": "2027-h1"}
    )
    with scopes_disabled():
        card = ReportCard.objects.get()
    assert card.period == "2027-H1"
    assert response["Location"] == f"{BASE}/report-cards/{card.pk}/"
    client.post(
        f"{BASE}/report-cards/{card.pk}/narrative/",
        {"narrative": "Fewer families at the food bank.<script>alert(1)</script>"},
    )
    page = client.get(f"{BASE}/report-cards/{card.pk}/").content.decode()
    assert "Fewer families at the food bank." in page and "<script>alert(1)" not in page
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"{BASE}/report-cards/{card.pk}/issue/")
    page = client.get(f"{BASE}/report-cards/{card.pk}/").content.decode()
    assert "Issued" in page and "Download PDF" in page
    download = client.get(f"{BASE}/report-cards/{card.pk}/pdf/download/")
    assert download["Content-Type"] == "application/pdf"
    assert b"".join(download.streaming_content).startswith(b"%PDF-")


def writes_of(card) -> list[tuple[str, dict]]:
    """Every POST that changes a card or its initiative's cards, with its data."""
    return [
        (f"{BASE}/initiatives/{card.initiative_id}/report-cards/new/", {"period": "2026"}),
        (f"{BASE}/initiatives/{card.initiative_id}/report-cards/schedule/", {"cadence": "annual"}),
        (f"{BASE}/report-cards/{card.pk}/narrative/", {"narrative": "x"}),
        (f"{BASE}/report-cards/{card.pk}/issue/", {}),
        (f"{BASE}/report-cards/{card.pk}/publish/", {}),
        (f"{BASE}/report-cards/{card.pk}/delete/", {}),
    ]


@pytest.mark.parametrize("role", ["partner", "roundtable"])
def test_readers_cannot_draft_write_or_issue(world, login, card, role):
    client = login(getattr(world, role))
    for url, data in writes_of(card):
        assert client.post(url, data).status_code == 403, url
    with scopes_disabled():
        assert ReportCard.objects.get().status == ReportCard.Status.DRAFT


def test_roundtable_members_see_issued_cards_not_drafts(world, login, card, initiative, issue):
    draft = ReportCardFactory(initiative=initiative, period="2027-H2")
    issue(card)
    client = login(world.roundtable)
    listing = client.get(f"{BASE}/initiatives/{initiative.pk}/report-cards/").content.decode()
    assert "2027-H1" in listing and "2027-H2" not in listing
    assert client.get(f"{BASE}/report-cards/{draft.pk}/").status_code == 404
    assert client.get(f"{BASE}/report-cards/{card.pk}/pdf/download/").status_code == 200


def test_partners_see_issued_cards_of_initiatives_they_take_part_in_only(
    world, login, card, initiative, issue
):
    link = PartnerMembershipFactory(membership=world.membership(world.partner))
    InitiativePartnerFactory(initiative=initiative, partner=link.partner)
    elsewhere = ReportCardFactory(
        initiative=InitiativeFactory(organization=world.org), period="2027-H1"
    )
    DataPointFactory(
        indicator=IndicatorFactory(initiative=elsewhere.initiative),
        period="2027-Q1",
        status=APPROVED,
    )
    issue(card)
    issue(elsewhere)
    client = login(world.partner)
    assert client.get(f"{BASE}/report-cards/{card.pk}/").status_code == 200
    assert client.get(f"{BASE}/report-cards/{card.pk}/pdf/download/").status_code == 200
    assert client.get(f"{BASE}/report-cards/{elsewhere.pk}/").status_code == 404
    assert client.get(f"{BASE}/report-cards/{elsewhere.pk}/pdf/download/").status_code == 404


def test_the_list_page_takes_the_same_number_of_queries_for_few_and_many_cards(
    world, login, initiative
):
    client = login(world.roundtable)
    url = f"{BASE}/initiatives/{initiative.pk}/report-cards/"

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    ReportCardFactory(initiative=initiative, period="2020")
    small = count()
    for year in range(2001, 2016):
        ReportCardFactory(initiative=initiative, period=str(year))
    assert count() == small


def test_people_engaged_counts_the_partners_taking_part_and_their_people(world, card):
    from ..stakeholders.factories import ContactFactory

    link = InitiativePartnerFactory(initiative=card.initiative)
    ContactFactory(organization=world.org, partner=link.partner)
    ContactFactory(organization=world.org, partner=link.partner)
    with scope(organization=world.org):
        engaged = selectors.assemble(card)["engaged"]
    assert engaged["partners"] == 1 and engaged["people"] == 2
    assert engaged["partner_names"] == [link.partner.name]


def test_a_drafts_pdf_is_made_on_demand_and_kept_until_the_draft_changes(
    world, login, card, indicator, django_capture_on_commit_callbacks
):
    client = login(world.coordinator)
    url = f"{BASE}/report-cards/{card.pk}/pdf/"
    assert client.get(f"{url}download/").status_code == 404  # nothing asked for yet
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url)
    with scopes_disabled():
        card.refresh_from_db()
        first = card.pdf.name
    download = client.get(f"{url}download/")
    assert download.status_code == 200
    assert download["Content-Disposition"].endswith('report card 2027-H1 (draft).pdf"')
    text = "\n".join(
        p.extract_text() for p in PdfReader(io.BytesIO(b"".join(download.streaming_content))).pages
    )
    assert "DRAFT" in text and "3,275" in text
    # Asking again without a change reuses it; a change makes it stale.
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        client.post(url)
    assert callbacks == []
    client.post(f"{BASE}/report-cards/{card.pk}/narrative/", {"narrative": "Changed."})
    assert client.get(f"{url}download/").status_code == 404
    page = client.get(f"{BASE}/report-cards/{card.pk}/").content.decode()
    assert "Prepare PDF" in page
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url)
    with scopes_disabled():
        card.refresh_from_db()
    assert card.pdf.name != first and client.get(f"{url}download/").status_code == 200


def test_issuing_replaces_the_draft_pdf_with_one_made_from_the_snapshot(
    world, login, card, issue, django_capture_on_commit_callbacks
):
    client = login(world.coordinator)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"{BASE}/report-cards/{card.pk}/pdf/")
    issue(card)
    download = client.get(f"{BASE}/report-cards/{card.pk}/pdf/download/")
    data = b"".join(download.streaming_content)
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(data)).pages)
    assert "DRAFT" not in text and "Issued" in text


@pytest.mark.parametrize("issued", [False, True])
def test_the_card_page_takes_the_same_number_of_queries_for_few_and_many_indicators(
    world, login, issue, issued
):
    client = login(world.coordinator)
    counts = []
    for size in (1, 10):
        initiative = InitiativeFactory(organization=world.org)
        for _ in range(size):
            indicator = IndicatorFactory(initiative=initiative)
            TargetFactory(indicator=indicator, value=Decimal("5"), date="2030-12-31")
            DataPointFactory(indicator=indicator, period="2027-Q1", status=APPROVED)
            DeliverableFactory(initiative=initiative)
            ActionItemFactory(initiative=initiative, status="done")
            InitiativePartnerFactory(initiative=initiative)
        card = ReportCardFactory(initiative=initiative, period="2027-H1")
        if issued:
            issue(card)
        url = f"{BASE}/report-cards/{card.pk}/"
        client.get(url)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1], counts


def test_the_plans_index_counts_the_issued_report_cards_of_each_initiative(
    world, login, card, issue
):
    ReportCardFactory(initiative=card.initiative, period="2027-H2")  # a draft: not counted
    issue(card)
    page = login(world.roundtable).get(f"{BASE}/").content.decode()
    assert "1 issued report card<" in page


def test_the_card_shows_engagement_and_the_published_stories_of_its_period(world, login, card):
    import datetime as dt

    from django.utils import timezone

    from ..initiatives.factories import (
        AttendanceFactory,
        EngagementEventFactory,
        ParticipationFactory,
        StoryFactory,
    )

    in_period = timezone.make_aware(dt.datetime(2027, 3, 10, 18, 0))
    event = EngagementEventFactory(initiative=card.initiative, starts_at=in_period)
    AttendanceFactory.create_batch(4, event=event)
    EngagementEventFactory(initiative=card.initiative, starts_at=in_period - dt.timedelta(days=400))
    ParticipationFactory(initiative=card.initiative, level="collaborate")
    ParticipationFactory(initiative=card.initiative, level="inform")
    StoryFactory(
        initiative=card.initiative, title="Maria's story", published=True, published_at=in_period
    )
    StoryFactory(
        initiative=card.initiative,
        title="Last year's story",
        published=True,
        published_at=in_period - dt.timedelta(days=400),
    )
    StoryFactory(initiative=card.initiative, title="Awaiting consent", published=False)
    with scope(organization=world.org):
        data = selectors.assemble(card)
    assert (data["engaged"]["events_in_period"], data["engaged"]["attendees_in_period"]) == (1, 4)
    assert data["engaged"]["participants"] == 2
    assert [s["title"] for s in data["stories"]] == ["Maria's story"]
    body = login(world.coordinator).get(f"{BASE}/report-cards/{card.pk}/").content.decode()
    assert "1 engagement event this period, 4 people came." in body
    assert "2 people take part in the initiative" in body
    assert "Maria&#x27;s story" in body


def test_an_archived_initiatives_report_cards_are_readable_and_unchangeable(
    world, login, card, initiative
):
    with scope(organization=world.org):
        initiative_archive(initiative=initiative)
    client = login(world.coordinator)
    listing = client.get(f"{BASE}/initiatives/{initiative.pk}/report-cards/")
    assert listing.status_code == 200 and "2027-H1" in listing.content.decode()
    assert client.get(f"{BASE}/report-cards/{card.pk}/").status_code == 200
    for url, data in writes_of(card):
        assert client.post(url, data).status_code == 403, url
    with scopes_disabled():
        assert ReportCard.objects.get(pk=card.pk).status == ReportCard.Status.DRAFT
        assert ReportCard.objects.filter(initiative=initiative).count() == 1
