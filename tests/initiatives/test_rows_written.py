"""The rows of the action plan, the risks and the people tables are written in Python
(initiatives.row_html): character for character what their template partials write, in
English and in French, for a member who may change them and one who may not, with names
that need escaping."""

import datetime

import pytest
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django_scopes import scope, scopes_disabled

from backbone.links import row_url
from initiatives import row_html
from initiatives.models import (
    EngagementLevel,
    ParticipantRole,
    ParticipationRole,
    RiskLevel,
    RiskStatus,
    WorkStatus,
)
from initiatives.selectors import PeopleView, participants
from initiatives.templatetags.initiative_tags import can_change
from initiatives.views.rows import SECTIONS

from ..stakeholders.factories import ContactFactory, PartnerFactory
from .factories import (
    ActionItemFactory,
    DeliverableFactory,
    InitiativeFactory,
    ParticipationFactory,
    RiskFactory,
)
from .helpers import url

NASTY = '<script>alert("x")</script> & Sons'
TOKEN = "t" * 32 + "0123456789abcdef0123456789abcdef"
LANGUAGES = ("en", "fr")


@pytest.fixture
def rows(world):
    """An initiative with action items, risks and people of every kind a row shows."""
    today = timezone.localdate(timezone=world.org.tzinfo)
    with scopes_disabled():
        initiative = InitiativeFactory(organization=world.org, name=NASTY)
        deliverable = DeliverableFactory(initiative=initiative, title=f"Report {NASTY}")
        lead = ContactFactory(organization=world.org, first_name=NASTY, last_name="O'Hara")
        ActionItemFactory(
            initiative=initiative,
            title=NASTY,
            description=" ".join(["word"] * 30) + " & <b>bold</b>",
            lead=lead,
            deliverable=deliverable,
            due_date=today - datetime.timedelta(days=3),
        )
        ActionItemFactory(
            initiative=initiative,
            title="Done late",
            lead=None,
            due_date=today - datetime.timedelta(days=3),
            status=WorkStatus.DONE,
        )
        ActionItemFactory(initiative=initiative, title="Undated", due_date=None)
        ActionItemFactory(
            initiative=initiative, due_date=today + datetime.timedelta(days=5), description="x"
        )
        RiskFactory(
            initiative=initiative,
            description=NASTY,
            likelihood=RiskLevel.HIGH,
            impact=RiskLevel.LOW,
            mitigation=f"First line & more\nsecond {NASTY}\r\nthird",
            owner=lead,
        )
        RiskFactory(initiative=initiative, owner=None, status=RiskStatus.CLOSED)
        partner = PartnerFactory(organization=world.org, name=f"Partner {NASTY}")
        person = ParticipationFactory(
            initiative=initiative,
            contact__first_name=NASTY,
            contact__partner=partner,
            contact__lived_experience=True,
            contact__phone="+1 <555> & 1234",
            level=EngagementLevel.COLLABORATE,
        )
        for role in (ParticipantRole.values[0], ParticipantRole.values[-1]):
            ParticipationRole.objects.create(
                organization=world.org, participation=person, role=role
            )
        ParticipationFactory(initiative=initiative, contact__email="", contact__sector="")
    return initiative


def partial_context(world, initiative, user) -> dict:
    membership = world.membership(user)
    return {
        "organization": world.org,
        "membership": membership,
        "initiative": initiative,
        "today": timezone.localdate(timezone=world.org.tzinfo),
        "csrf_token": TOKEN,
    }


@pytest.mark.django_db
@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("role", ["coordinator", "roundtable"])
@pytest.mark.parametrize(
    ("name", "model_status"), [("actions", WorkStatus.choices), ("risks", RiskStatus.choices)]
)
def test_section_rows_are_what_the_template_writes(world, rows, language, role, name, model_status):
    user = getattr(world, role)
    with (
        scope(organization=world.org),
        translation.override(language),
        timezone.override(world.org.tzinfo),
    ):
        context = {**partial_context(world, rows, user), "status_choices": model_status}
        section_rows = list(SECTIONS[name].rows(rows))
        assert len(section_rows) >= 2
        options = {"editable": can_change(context["membership"], rows), "csrf_token": TOKEN}
        assert options["editable"] is (role == "coordinator")
        if name == "actions":
            controls = row_html.action_controls(world.org, **options)
            written = [row_html.action_row(r, controls, context["today"]) for r in section_rows]
        else:
            controls = row_html.risk_controls(world.org, **options)
            levels = row_html.risk_levels()
            written = [row_html.risk_row(r, controls, levels) for r in section_rows]
        for row, html in zip(section_rows, written, strict=True):
            expected = render_to_string(f"initiatives/{name}.html#row", {**context, "row": row})
            assert html == expected
        assert "<script>" not in "".join(written)


@pytest.mark.django_db
@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("details", [True, False])
@pytest.mark.parametrize("editable", [True, False])
def test_people_rows_are_what_the_template_writes(world, rows, language, details, editable):
    with scope(organization=world.org), translation.override(language):
        people = list(participants(rows, PeopleView(details=True, own_partner_id=None)))
        assert len(people) == 2
        view = PeopleView(details=details, own_partner_id=None)
        contact_url = row_url(world.org, "stakeholders:contact_detail", "contact_id")
        edit_url = row_url(world.org, "initiatives:participation_edit", "participation_id")
        written = row_html.PeopleRows.of(
            details=details, editable=editable, contact_url=contact_url, edit_url=edit_url
        )
        context = {
            "people_view": view,
            "editable": editable,
            "contact_url": contact_url,
            "edit_url": edit_url,
        }
        for p in people:
            expected = render_to_string("initiatives/people.html#person-row", {**context, "p": p})
            assert written.row(p) == expected
        assert "<script>" not in row_html.rows_html(people, written.row)


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["actions", "risks", "people"])
def test_the_pages_show_the_written_rows(world, login, rows, name):
    client = login(world.coordinator)
    html = client.get(url(name, world.org, initiative_id=rows.pk)).content.decode()
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; Sons" in html
    assert '<script>alert("x")' not in html
    if name != "people":
        token = html.split('name="csrfmiddlewaretoken" value="')[1].split('"')[0]
        assert len(token) == 64
        with scopes_disabled():
            count = len(list(SECTIONS[name].rows(rows)))
        assert html.count('hx-trigger="change"') == count


@pytest.mark.django_db
@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("role", ["coordinator", "roundtable"])
@pytest.mark.parametrize("archived", [False, True])
@pytest.mark.parametrize("tab", ["overview", "people", ""])
def test_the_header_is_what_the_template_writes(world, rows, language, role, archived, tab):
    from initiatives.templatetags.initiative_tags import initiative_header

    with scopes_disabled():
        rows.geography = "North & <South>" if archived else ""
        rows.archived_at = timezone.now() if archived else None
        rows.save()
    with scope(organization=world.org), translation.override(language):
        context = {**partial_context(world, rows, getattr(world, role)), "tab": tab}
        expected = render_to_string("initiatives/initiative_page.html#header", context)
        assert initiative_header(context) == expected


@pytest.mark.django_db
@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("editable", [True, False])
def test_who_came_is_what_the_template_writes(world, rows, language, editable):
    from initiatives.models import Attendance

    from .factories import AttendanceFactory, EngagementEventFactory

    with scopes_disabled():
        event = EngagementEventFactory(initiative=rows)
        partner = PartnerFactory(organization=world.org, name=f"Hosts {NASTY}")
        AttendanceFactory(event=event, contact__first_name=NASTY, contact__partner=partner)
        AttendanceFactory(event=event, walk_in=True)
        gone = AttendanceFactory(event=event)
        Attendance.objects.filter(pk=gone.pk).update(contact=None, name=f"Gone {NASTY}")
    remove_url = row_url(world.org, "initiatives:attendance_remove", "attendance_id")
    with scope(organization=world.org), translation.override(language):
        attendances = list(
            Attendance.objects.filter(event=event).select_related("contact__partner")
        )
        context = {"editable": editable, "attendance_remove_url": remove_url, "csrf_token": TOKEN}
        expected = "".join(
            render_to_string("initiatives/event.html#attendee", {**context, "a": a})
            for a in attendances
        )
        written = row_html.attendee_rows(
            attendances, editable=editable, remove_url=remove_url, csrf_token=TOKEN
        )
        assert written == expected
        assert "<script>" not in written


@pytest.mark.django_db
def test_the_events_list_links_each_event(world, login, rows):
    from .factories import EngagementEventFactory

    with scopes_disabled():
        events = [EngagementEventFactory(initiative=rows, title=f"Talk {n}") for n in range(3)]
    html = login(world.roundtable).get(url("events", world.org, initiative_id=rows.pk)).text
    for event in events:
        assert f'<a href="{url("event", world.org, event_id=event.pk)}">{event.title}</a>' in html
