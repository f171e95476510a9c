"""An initiative's overview figures are kept a minute (initiatives.figures_cache): a second
visit counts none of them again, and a change to what they count, or a new day, shows at the
next visit."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django_scopes import scope, scopes_disabled

from initiatives import figures_cache, services
from initiatives.models import Deliverable, ReadinessItem, WorkStatus
from stakeholders.models import Sector

from .factories import ActionItemFactory, AttendanceFactory, EngagementEventFactory

COUNTED_TABLES = (
    "initiatives_readinessitem",
    "initiatives_deliverable",
    "initiatives_actionitem",
    "initiatives_engagementevent",
)


def visit(client, initiative) -> tuple[list[str], str]:
    url = reverse(
        "initiatives:detail", kwargs={"org_slug": "riverside", "initiative_id": initiative.pk}
    )
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    return [q["sql"] for q in captured.captured_queries], html[html.index("<main") :]


def counting(sqls: list[str]) -> list[str]:
    return [sql for sql in sqls if any(f'FROM "{table}"' in sql for table in COUNTED_TABLES)]


def figure(html: str, term: str) -> str:
    """The text of the facts' entry after the <dt> `term`."""
    start = html.index(f"<dt>{term}</dt>") + len(f"<dt>{term}</dt>")
    return html[start : html.index("</dd>", start)].split(">", 1)[1].strip()


@pytest.mark.django_db
def test_a_second_visit_counts_none_of_the_figures_again(world, login, initiative):
    client = login(world.coordinator)
    first, first_html = visit(client, initiative)
    second, second_html = visit(client, initiative)
    assert len(counting(first)) == 4  # readiness, deliverables, overdue actions, the will
    assert counting(second) == []
    assert figure(second_html, "Deliverables done") == figure(first_html, "Deliverables done")


@pytest.mark.django_db
def test_a_deliverable_done_and_an_action_overdue_show_at_the_next_visit(world, login, initiative):
    client = login(world.coordinator)
    _, html = visit(client, initiative)
    assert figure(html, "Deliverables done") == "0 of 5"
    assert figure(html, "Overdue action items") == "0"
    with scope(organization=world.org):
        deliverable = Deliverable.objects.filter(initiative=initiative).first()
        services.deliverable_update(deliverable=deliverable, status=WorkStatus.DONE)
    with scopes_disabled():
        ActionItemFactory(
            initiative=initiative,
            due_date=timezone.localdate(timezone=world.org.tzinfo) - datetime.timedelta(days=2),
        )
    sqls, html = visit(client, initiative)
    assert counting(sqls)
    assert figure(html, "Deliverables done") == "1 of 5"
    assert figure(html, "Overdue action items") == "1"


@pytest.mark.django_db
def test_people_who_came_and_a_changed_sector_show_at_the_next_visit(world, login, initiative):
    client = login(world.coordinator)
    with scopes_disabled():
        event = EngagementEventFactory(
            initiative=initiative, starts_at=timezone.now() - datetime.timedelta(days=1)
        )
        AttendanceFactory(event=event, contact__sector=Sector.HEALTH)
    _, html = visit(client, initiative)
    assert (figure(html, "People engaged"), figure(html, "Sectors reached")) == ("1", "1")
    with scopes_disabled():
        other = AttendanceFactory(event=event, contact__sector=Sector.EDUCATION).contact
    _, html = visit(client, initiative)
    assert (figure(html, "People engaged"), figure(html, "Sectors reached")) == ("2", "2")
    with scopes_disabled():
        other.sector = Sector.HEALTH
        other.save()
    _, html = visit(client, initiative)
    assert (figure(html, "People engaged"), figure(html, "Sectors reached")) == ("2", "1")


@pytest.mark.django_db
def test_reordering_the_readiness_matrix_shows_at_the_next_visit(world, login, initiative):
    """Reordering saves positions in bulk (no save signal): the service tells the cache."""
    client = login(world.coordinator)
    _, html = visit(client, initiative)
    with scope(organization=world.org):
        cell = list(
            ReadinessItem.objects.filter(initiative=initiative, phase=initiative.phase).order_by(
                "component", "position", "id"
            )[:2]
        )
        assert cell[0].component == cell[1].component
        assert html.index(cell[0].text) < html.index(cell[1].text)
        services.readiness_item_move(item=cell[1], up=True)
    sqls, html = visit(client, initiative)
    assert counting(sqls)
    assert html.index(cell[1].text) < html.index(cell[0].text)


@pytest.mark.django_db
def test_a_new_day_counts_afresh(world, login, initiative, clock):
    client = login(world.coordinator)
    visit(client, initiative)
    clock.shift(datetime.timedelta(days=1))
    sqls, _ = visit(client, initiative)
    assert counting(sqls)


def test_what_no_saved_row_tells_shows_within_a_minute():
    assert figures_cache.TIMEOUT <= 60  # an event starting counts as held within it
