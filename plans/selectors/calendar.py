"""Calendar feeds (iCalendar, RFC 5545, made with the `icalendar` library).

A member's private feed lists, across the initiatives they may see: the events, the data
due dates (a partner user: what their partner still owes; staff: every request's due
date), the open action items they lead (their e-mail is the lead's) and the dates plans
were adopted. A published scorecard's public feed lists the initiative's public events.
Times are in UTC (the calendar app shows them in its own zone), dates are all-day, and
each item's UID names its kind and row, so a calendar updates an item, never doubles it.
Each feed is a fixed number of queries whatever it holds."""

import datetime
from dataclasses import dataclass

import icalendar
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from backbone.models import Membership, Role
from initiatives.models import ActionItem, EngagementEvent, WorkStatus
from initiatives.selectors import initiatives_visible_to
from measures.models import DataPoint, DataRequest
from measures.periods import periods_between
from stakeholders.selectors import partner_of

from ..models import PlanVersion, Scorecard
from .scorecard import public_events

# How far back and ahead a feed reaches (calendar apps keep what they fetched before).
PAST = datetime.timedelta(days=365)
AHEAD = datetime.timedelta(days=550)
DONE = (DataPoint.Status.SUBMITTED, DataPoint.Status.APPROVED)


@dataclass(frozen=True)
class Entry:
    uid: str
    summary: str
    start: datetime.date | datetime.datetime
    description: str = ""
    location: str = ""


def _uid(kind: str, *parts) -> str:
    return "-".join([kind, *map(str, parts)]) + "@backbone"


def _event_entry(event: EngagementEvent, *, with_initiative: bool = True) -> Entry:
    summary = f"{event.title} · {event.initiative.name}" if with_initiative else event.title
    return Entry(
        uid=_uid("event", event.pk),
        summary=summary,
        start=event.starts_at,
        description=str(event.get_kind_display()),
        location=event.place,
    )


def _due_entries(membership: Membership, initiatives, today: datetime.date) -> list[Entry]:
    """Data due dates: a partner user's open ones for their partner, staff's all of them;
    none for the roundtable. Two queries (three for a partner user)."""
    if membership.role == Role.ROUNDTABLE:
        return []
    requests = DataRequest.objects.filter(
        organization_id=membership.organization_id,
        indicator__is_active=True,
        indicator__initiative__in=initiatives,
        excluded=False,
    ).select_related("indicator", "indicator__initiative")
    partner = None
    if membership.role == Role.PARTNER:
        partner = partner_of(membership)
        if partner is None:
            return []
        requests = requests.filter(partner=partner)
    requests = list(requests)
    done = set()
    if partner is not None:
        done = set(
            DataPoint.objects.filter(
                organization_id=membership.organization_id,
                partner=partner,
                cell="",
                status__in=DONE,
                indicator_id__in={r.indicator_id for r in requests},
            ).values_list("indicator_id", "period")
        )
    entries: dict[str, Entry] = {}
    for request in requests:
        indicator = request.indicator
        start = max(indicator.initiative.start_date, today - PAST)
        periods = (
            list(periods_between(start, today + AHEAD, indicator.frequency))
            if not request.period
            else [indicator.period(request.period)]
        )
        for period in periods:
            due = period.end + datetime.timedelta(days=request.due_days)
            if (indicator.pk, period.key) in done or not (today - PAST <= due <= today + AHEAD):
                continue
            uid = _uid("due", indicator.pk, period.key, due.isoformat())
            entries[uid] = Entry(
                uid=uid,
                summary=_("Data due: %(indicator)s, %(period)s")
                % {"indicator": indicator.name, "period": period.key},
                start=due,
                description=indicator.initiative.name,
            )
    return list(entries.values())


def member_entries(membership: Membership, *, now: datetime.datetime) -> list[Entry]:
    """What a member's private feed lists: a fixed number of queries."""
    today = timezone.localdate(now, membership.organization.tzinfo)
    initiatives = initiatives_visible_to(membership)
    since = now - PAST
    events = EngagementEvent.objects.filter(
        organization_id=membership.organization_id,
        initiative__in=initiatives,
        starts_at__gte=since,
    ).select_related("initiative")
    entries = [_event_entry(event) for event in events]
    entries += _due_entries(membership, initiatives, today)
    email = membership.user.email
    led = ActionItem.objects.filter(
        organization_id=membership.organization_id,
        initiative__in=initiatives,
        lead__email__iexact=email,
        due_date__isnull=False,
    ).exclude(status=WorkStatus.DONE)
    entries += [
        Entry(
            uid=_uid("action", item.pk),
            summary=_("Action due: %(title)s") % {"title": item.title},
            start=item.due_date,
            description=item.initiative.name,
        )
        for item in (led.select_related("initiative") if email else led.none())
    ]
    adopted = PlanVersion.objects.filter(
        Q(adopted_on__gte=today - PAST),
        organization_id=membership.organization_id,
        plan__initiative__in=initiatives,
        status=PlanVersion.Status.ADOPTED,
    ).select_related("plan__initiative")
    entries += [
        Entry(
            uid=_uid("plan-adopted", version.pk),
            summary=_("Plan adopted: %(initiative)s") % {"initiative": version.plan.initiative},
            start=version.adopted_on,
            description=version.adopted_by_body,
        )
        for version in adopted
    ]
    return entries


def public_entries(scorecard: Scorecard, *, now: datetime.datetime) -> list[Entry]:
    events = public_events(scorecard, since=now - PAST).select_related("initiative")
    return [_event_entry(event, with_initiative=False) for event in events]


def to_ical(entries: list[Entry], *, name: str, time_zone: str, now: datetime.datetime) -> bytes:
    calendar = icalendar.Calendar()
    calendar.add("prodid", "-//Backbone//Calendar//EN")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", name)
    calendar.add("x-wr-timezone", time_zone)
    stamp = now.astimezone(datetime.UTC)
    for entry in sorted(entries, key=lambda e: (str(e.start), e.uid)):
        event = icalendar.Event()
        event.add("uid", entry.uid)
        event.add("dtstamp", stamp)
        start = entry.start
        if isinstance(start, datetime.datetime):
            event.add("dtstart", start.astimezone(datetime.UTC))
            event.add("duration", datetime.timedelta(hours=1))
        else:
            event.add("dtstart", start)
        event.add("summary", entry.summary)
        if entry.description:
            event.add("description", entry.description)
        if entry.location:
            event.add("location", entry.location)
        calendar.add_component(event)
    return calendar.to_ical()
