"""Engagement events of an initiative and who came to them."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse, HttpResponseRedirect
from django.middleware.csrf import get_token
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from backbone.access import org_view
from backbone.forms import INVALID_FORM, form_status, form_write
from backbone.links import org_url, row_url
from backbone.permissions import can

from .. import services
from ..form_cache import kept_fields, kept_form
from ..forms import AttendeeForm, EventForm, WalkInForm
from ..models import Attendance, EngagementEvent
from ..row_html import attendee_rows
from ..selectors import (
    attendances_of,
    community_will,
    events_of,
    people_view_for,
)
from .pages import access_initiative, access_row, page_with_form, posted_add_form, to_tab

# Who came, a page at a time: an event of a thousand people stays a light page.
ATTENDANCE_PAGE_SIZE = 50


@org_view("initiatives.view")
def events(request, initiative_id: int):
    initiative = access_initiative(request, initiative_id)
    form = posted_add_form(request, EventForm, initiative=initiative)
    event = form_write(form, services.event_create, initiative=initiative)
    if event:
        messages.success(request, _("Recorded “%(event)s”. Now add who came.") % {"event": event})
        return _to_event(request, event.pk)
    return render(
        request,
        "initiatives/events.html",
        {
            "initiative": initiative,
            "tab": "events",
            "events": events_of(initiative),
            # Each event's address, reversed once for every row.
            "event_url": row_url(request.organization, "initiatives:event", "event_id"),
            "will": community_will(initiative),
            # A posted form shows what was typed; the empty one is kept written (form_cache).
            "add_form": form or kept_fields(EventForm, initiative, auto_id="add_%s"),
        },
        status=form_status(form),
    )


def _event_context(request, event: EngagementEvent, **forms) -> dict:
    q = request.GET.get("q", "").strip()
    view = people_view_for(request.membership)
    attendances = Paginator(attendances_of(event, view), ATTENDANCE_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    editable = can(request.membership, "initiatives.edit") and not event.initiative.read_only_reason
    remove_url = row_url(request.organization, "initiatives:attendance_remove", "attendance_id")
    return {
        "event": event,
        "initiative": event.initiative,
        "tab": "events",
        "attendances": attendances,
        # `membership|can_change:initiative`, asked once rather than on every row
        "editable": editable,
        "attendance_remove_url": remove_url,
        # The list written in Python (initiatives.row_html, as the partial #attendee writes each).
        "attendance_rows": attendee_rows(
            attendances, editable=editable, remove_url=remove_url, csrf_token=get_token(request)
        ),
        # Who sees every person counts them once, with the pages.
        "attendance_total": attendances.paginator.count
        if view.details
        else event.attendances.count(),
        "q": q,
        # A refused form shows what was typed, a search its matches; the empty forms are
        # kept written (form_cache).
        "attendee_form": forms.get("attendee_form")
        or (
            AttendeeForm(event=event, q=q, auto_id="attendee_%s")
            if q
            else kept_form(
                event.organization_id,
                f"AttendeeForm:{event.pk}",
                lambda: AttendeeForm(event=event, auto_id="attendee_%s"),
            )
        ),
        "walk_in_form": forms.get("walk_in_form")
        or kept_form(event.organization_id, "WalkInForm", lambda: WalkInForm(auto_id="walkin_%s")),
    }


def _to_event(request, event_id: int, anchor: str = "") -> HttpResponseRedirect:
    return redirect(org_url(request.organization, "initiatives:event", event_id=event_id) + anchor)


def _event_page_refused(request, event: EngagementEvent, **forms) -> HttpResponse:
    """The event's page again, with the attendance form that was not valid."""
    context = _event_context(request, event, **forms)
    return render(request, "initiatives/event.html", context, status=INVALID_FORM)


@org_view("initiatives.view")
def event(request, event_id: int):
    event = access_row(request, EngagementEvent, event_id)
    template = "initiatives/event.html"
    if request.htmx and not request.htmx.boosted and "q" in request.GET:
        template += "#attendee-picker"  # the search narrows the people to pick from
    elif request.htmx and not request.htmx.boosted and "page" in request.GET:
        template += "#attendance"  # another page of who came
    return render(request, template, _event_context(request, event))


@org_view("initiatives.edit")
def event_edit(request, event_id: int):
    event = access_row(request, EngagementEvent, event_id)
    form = EventForm(request.POST or None, instance=event)
    if form_write(form, services.event_update, event=event, by=request.user):
        messages.success(request, _("Saved “%(event)s”.") % {"event": event})
        return _to_event(request, event.pk)
    return page_with_form(
        request, "initiatives/event_form.html", form, event=event, initiative=event.initiative
    )


@org_view("initiatives.edit")
@require_POST
def event_remove(request, event_id: int):
    event = access_row(request, EngagementEvent, event_id, write=True)
    try:
        services.event_remove(event=event)
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
        return _to_event(request, event.pk)
    messages.success(request, _("Removed “%(event)s”.") % {"event": event})
    return to_tab(request, "events", event.initiative_id)


@org_view("initiatives.edit")
@require_POST
def attendee_add(request, event_id: int):
    event = access_row(request, EngagementEvent, event_id, write=True)
    form = AttendeeForm(request.POST, event=event, auto_id="attendee_%s")
    if form.is_valid():
        services.attendance_record(
            event=event, contact=form.cleaned_data["contact"], by=request.user
        )
        messages.success(request, _("%(name)s came.") % {"name": form.cleaned_data["contact"]})
        return _to_event(request, event.pk, "#attendance")
    return _event_page_refused(request, event, attendee_form=form)


@org_view("initiatives.edit")
@require_POST
def walk_in_add(request, event_id: int):
    event = access_row(request, EngagementEvent, event_id, write=True)
    form = WalkInForm(request.POST, auto_id="walkin_%s")
    attendance = form_write(form, services.walk_in_record, event=event, by=request.user)
    if attendance:
        messages.success(request, _("%(name)s came.") % {"name": attendance.contact})
        return _to_event(request, event.pk, "#attendance")
    return _event_page_refused(request, event, walk_in_form=form)


@org_view("initiatives.edit")
@require_POST
def attendance_remove(request, attendance_id: int):
    attendance = access_row(
        request,
        Attendance.objects.select_related("contact"),
        attendance_id,
        write=True,
        through="event__initiative",
    )
    services.attendance_remove(attendance=attendance)
    messages.success(
        request, _("Removed %(name)s from the attendance.") % {"name": attendance.person_name}
    )
    return _to_event(request, attendance.event_id)
