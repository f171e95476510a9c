"""Engagement events of an initiative and who came to them."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from backbone.access import org_view
from backbone.forms import INVALID_FORM, form_status

from .. import engagement_services as services
from ..engagement_forms import AttendeeForm, EventForm, WalkInForm
from ..engagement_selectors import attendances_of, community_will, events_of, people_view_for
from ..models import Attendance, EngagementEvent
from ..selectors import initiative_for, initiatives_visible_to, row_for
from .common import apply_errors, initiative_url, require_edit


def _event_url(event: EngagementEvent) -> str:
    return reverse(
        "initiatives:event",
        kwargs={"org_slug": event.organization.slug, "event_id": event.pk},
    )


@org_view("initiatives.view")
def events(request, initiative_id: int):
    initiative = initiative_for(request.membership, initiative_id)
    form = EventForm(initiative=initiative, auto_id="add_%s")
    if request.method == "POST":
        require_edit(request)
        form = EventForm(request.POST, initiative=initiative, auto_id="add_%s")
        if form.is_valid():
            try:
                event = services.event_create(initiative=initiative, **form.cleaned_data)
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                messages.success(
                    request, _("Recorded “%(event)s”. Now add who came.") % {"event": event}
                )
                return redirect(_event_url(event))
    return render(
        request,
        "initiatives/events.html",
        {
            "initiative": initiative,
            "tab": "events",
            "events": events_of(initiative),
            "will": community_will(initiative),
            "add_form": form,
        },
        status=form_status(form),
    )


def _event_context(request, event: EngagementEvent, **forms) -> dict:
    q = request.GET.get("q", "").strip()
    return {
        "event": event,
        "initiative": event.initiative,
        "tab": "events",
        "attendances": attendances_of(event, people_view_for(request.membership)),
        "attendance_total": event.attendances.count(),
        "q": q,
        "attendee_form": forms.get("attendee_form")
        or AttendeeForm(event=event, q=q, auto_id="attendee_%s"),
        "walk_in_form": forms.get("walk_in_form") or WalkInForm(auto_id="walkin_%s"),
    }


@org_view("initiatives.view")
def event(request, event_id: int):
    event = row_for(request.membership, EngagementEvent.objects, event_id)
    template = "initiatives/event.html"
    if request.htmx and not request.htmx.boosted and "q" in request.GET:
        template += "#attendee-picker"  # the search narrows the people to pick from
    return render(request, template, _event_context(request, event))


@org_view("initiatives.edit")
def event_edit(request, event_id: int):
    event = row_for(request.membership, EngagementEvent.objects, event_id)
    form = EventForm(request.POST or None, instance=event)
    if request.method == "POST" and form.is_valid():
        services.event_update(event=event, **form.cleaned_data)
        messages.success(request, _("Saved “%(event)s”.") % {"event": event})
        return redirect(_event_url(event))
    return render(
        request,
        "initiatives/event_form.html",
        {"event": event, "initiative": event.initiative, "form": form},
        status=form_status(form),
    )


@org_view("initiatives.edit")
@require_POST
def event_remove(request, event_id: int):
    event = row_for(request.membership, EngagementEvent.objects, event_id)
    services.event_remove(event=event)
    messages.success(request, _("Removed “%(event)s”.") % {"event": event})
    return redirect(initiative_url(event.initiative, "events"))


@org_view("initiatives.edit")
@require_POST
def attendee_add(request, event_id: int):
    event = row_for(request.membership, EngagementEvent.objects, event_id)
    form = AttendeeForm(request.POST, event=event, auto_id="attendee_%s")
    if form.is_valid():
        services.attendance_record(
            event=event, contact=form.cleaned_data["contact"], by=request.user
        )
        messages.success(request, _("%(name)s came.") % {"name": form.cleaned_data["contact"]})
        return redirect(_event_url(event) + "#attendance")
    return render(
        request,
        "initiatives/event.html",
        _event_context(request, event, attendee_form=form),
        status=INVALID_FORM,
    )


@org_view("initiatives.edit")
@require_POST
def walk_in_add(request, event_id: int):
    event = row_for(request.membership, EngagementEvent.objects, event_id)
    form = WalkInForm(request.POST, auto_id="walkin_%s")
    if form.is_valid():
        try:
            attendance = services.walk_in_record(event=event, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("%(name)s came.") % {"name": attendance.contact})
            return redirect(_event_url(event) + "#attendance")
    return render(
        request,
        "initiatives/event.html",
        _event_context(request, event, walk_in_form=form),
        status=INVALID_FORM,
    )


@org_view("initiatives.edit")
@require_POST
def attendance_remove(request, attendance_id: int):
    attendance = get_attendance(request, attendance_id)
    services.attendance_remove(attendance=attendance)
    messages.success(
        request, _("Removed %(name)s from the attendance.") % {"name": attendance.contact}
    )
    return redirect(_event_url(attendance.event))


def get_attendance(request, attendance_id: int) -> Attendance:
    visible = initiatives_visible_to(request.membership, include_archived=True)
    return get_object_or_404(
        Attendance.objects.filter(
            organization_id=request.organization.pk, event__initiative__in=visible
        ).select_related("event", "contact"),
        pk=attendance_id,
    )
