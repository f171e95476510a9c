"""Reads of report cards: which cards a member sees, and what a card shows.

`assemble(card)` returns plain JSON-ready data; a draft is assembled on each view,
an issued card stores it (`ReportCard.snapshot`) and is only ever rendered from it.
Two seams are left for the engagement work in `initiatives` (events, participation,
stories): `people_engaged` and `selected_stories`. They use what exists today and are
the only functions that need extending when that work is merged.
"""

from __future__ import annotations

import datetime
import hashlib
import json
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Count, QuerySet
from django.utils.translation import gettext as _
from django_scopes import scopes_disabled

from backbone.markdown import render_document_markdown as render_markdown
from backbone.models import Membership
from backbone.permissions import can
from initiatives.models import (
    ActionItem,
    Attendance,
    Deliverable,
    EngagementEvent,
    EngagementLevel,
    Initiative,
    InitiativePartner,
    Participation,
    Story,
    WorkStatus,
    phase_number,
)
from initiatives.selectors import initiatives_visible_to, people_who_came, readiness_grid
from measures.periods import Frequency, Period, parse_period
from measures.sharing import partner_values
from stakeholders.models import Contact

from ..models import ReportCard
from ..sections import indicator_rows

CARD_FREQUENCIES = (Frequency.SEMI_ANNUAL, Frequency.ANNUAL)
SNAPSHOT_FORMAT = 1


def parse_card_period(key: str) -> Period:
    """A report card's period: six months ("2027-H1") or a year ("2027")."""
    for frequency in CARD_FREQUENCIES:
        try:
            return parse_period((key or "").strip().upper(), frequency)
        except ValueError:
            continue
    raise ValidationError(
        {"period": _("Enter six months like “2027-H1” or “2027-H2”, or a year like “2027”.")}
    )


def period_label(period: Period) -> str:
    if period.frequency == Frequency.ANNUAL:
        return _("Annual report card %(year)s") % {"year": period.year}
    return _("Six-month report card %(period)s (%(start)s – %(end)s)") % {
        "period": period.key,
        "start": period.start.strftime("%b %Y"),
        "end": period.end.strftime("%b %Y"),
    }


# Seams: the merge of the engagement work (events, participation, stories) extends these.


def people_engaged(initiative: Initiative, period: Period) -> dict[str, Any]:
    """Partners and people taking part, and the community engaged at events in the period."""
    links = list(
        InitiativePartner.objects.filter(initiative=initiative)
        .select_related("partner")
        .order_by("partner__name")
    )
    joined = [link for link in links if link.joined_on and period.start <= link.joined_on]
    people = Contact.objects.filter(partner__in=[link.partner_id for link in links]).count()
    levels = dict(
        Participation.objects.filter(initiative=initiative)
        .values_list("level")
        .annotate(n=Count("id"))
        .values_list("level", "n")
    )
    events = EngagementEvent.objects.filter(
        initiative=initiative,
        starts_at__date__gte=period.start,
        starts_at__date__lte=period.end,
    )
    attendees = people_who_came(Attendance.objects.filter(event__in=events))
    return {
        "partners": len(links),
        "partners_joined_in_period": len([j for j in joined if j.joined_on <= period.end]),
        "people": people,
        "partner_names": [link.partner.name for link in links],
        "participants": sum(levels.values()),
        "levels": [
            {"level": str(label), "count": levels.get(value, 0)}
            for value, label in EngagementLevel.choices
        ],
        "events_in_period": events.count(),
        "attendees_in_period": attendees,
    }


def selected_stories(initiative: Initiative, period: Period) -> list[dict[str, str]]:
    """Published stories of the period, newest first (publishing required everyone's consent)."""
    stories = (
        Story.objects.filter(
            initiative=initiative,
            published=True,
            published_at__date__gte=period.start,
            published_at__date__lte=period.end,
        )
        .prefetch_related("features__contact")
        .order_by("-published_at")[:3]
    )
    return [
        {
            "title": story.title,
            "text": story.text,
            "by": ", ".join(f.contact.full_name for f in story.features.all()),
        }
        for story in stories
    ]


def _date(value: datetime.date | None) -> str:
    return value.isoformat() if value else ""


def assemble(card: ReportCard) -> dict[str, Any]:
    """Everything the card shows, as JSON-ready data, from approved data only."""
    initiative = card.initiative
    period = parse_card_period(card.period)
    rows = [row for row in indicator_rows(initiative, up_to=period) if row.indicator.is_active]
    # A card can be published: partners' own values show only where an agreement allows it.
    by_partner = partner_values(
        {row.indicator.pk: row.latest[0].key for row in rows if row.latest},
        public=True,
    )
    indicators = []
    for row in rows:
        indicator = row.indicator
        values = by_partner.get(indicator.pk)
        in_period = [(p, v) for p, v in row.series if p.start >= period.start]
        target = next((t for t in row.targets if t.date >= period.end), None) or (
            row.targets[-1] if row.targets else None
        )
        indicators.append(
            {
                "name": indicator.name,
                "definition": indicator.definition,
                "direction": indicator.direction,
                "baseline": indicator.format_value(indicator.baseline_value)
                if indicator.baseline_value is not None
                else "",
                "baseline_year": indicator.baseline_date.year if indicator.baseline_date else "",
                "latest": row.latest_value,
                "latest_period": row.latest[0].key if row.latest else "",
                "in_period": [[p.key, indicator.format_value(v)] for p, v in in_period],
                "target": indicator.format_value(target.value) if target else "",
                "target_date": _date(target.date) if target else "",
                "trend": row.status.trend,
                "trend_label": row.status.trend_label,
                "on_track": row.status.on_track,
                "chart": row.chart(width=440, height=190),
                "by_partner": [
                    [partner.name, indicator.format_value(value)]
                    for partner, value in (values.shown if values else [])
                ],
                "partners_hidden": values.hidden if values else 0,
                "hidden_reason": values.hidden_reason if values else "",
            }
        )
    deliverables = [
        {
            "title": d.title,
            "status": d.status,
            "status_label": d.get_status_display(),
            "due": _date(d.due_date),
        }
        for d in Deliverable.objects.filter(initiative=initiative)
    ]
    actions = ActionItem.objects.filter(initiative=initiative).select_related("lead")
    done, due = [], []
    for item in actions:
        row = {
            "title": item.title,
            "lead": str(item.lead) if item.lead else "",
            "due": _date(item.due_date),
            "status_label": item.get_status_display(),
        }
        if item.status == WorkStatus.DONE:
            if item.due_date is None or item.due_date <= period.end:
                done.append(row)
        elif item.due_date and item.due_date <= period.next().end:
            due.append(row)
    grid = readiness_grid(initiative)
    return {
        "format": SNAPSHOT_FORMAT,
        "organization": initiative.organization.name,
        "initiative": {
            "name": initiative.name,
            "issue": initiative.issue,
            "geography": initiative.geography,
        },
        "period": {
            "key": period.key,
            "label": period_label(period),
            "start": _date(period.start),
            "end": _date(period.end),
        },
        "phase": {
            "label": initiative.get_phase_display(),
            "number": phase_number(initiative.phase),
            "readiness": grid.percent_of(initiative.phase),
            "open_items": len(grid.open_items_of(initiative.phase)),
        },
        "indicators": indicators,
        "with_data_in_period": sum(1 for i in indicators if i["in_period"]),
        "deliverables": deliverables,
        "milestones_done": done,
        "milestones_due": due,
        "engaged": people_engaged(initiative, period),
        "stories": selected_stories(initiative, period),
        "narrative_html": str(render_markdown(card.narrative)),
    }


def data_hash(data: dict[str, Any]) -> str:
    payload = json.dumps(data, sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(payload.encode()).hexdigest()


def pdf_state(card: ReportCard, data: dict[str, Any] | None = None) -> str:
    """The PDF's state for the card as it is now: "ready", "working", "failed" or "none"
    (a draft's PDF made from older data counts as none: it is stale)."""
    if not card.is_issued and card.pdf_hash != data_hash(
        data if data is not None else assemble(card)
    ):
        return "none"
    status = card.pdf_status
    if status == ReportCard.PdfStatus.READY and card.pdf:
        return "ready"
    if status in (ReportCard.PdfStatus.PENDING, ReportCard.PdfStatus.RENDERING):
        return "working"
    if status == ReportCard.PdfStatus.FAILED:
        return "failed"
    return "none"


def card_data(card: ReportCard) -> dict[str, Any]:
    """What a card shows: its snapshot once issued, else freshly assembled."""
    if card.is_issued:
        return card.snapshot
    return assemble(card)


def report_card_counts(initiatives: list[Initiative]) -> dict[int, int]:
    rows = (
        ReportCard.objects.filter(initiative__in=initiatives, status=ReportCard.Status.ISSUED)
        .values("initiative_id")
        .annotate(n=Count("pk"))
    )
    return {row["initiative_id"]: row["n"] for row in rows}


# Which cards ------------------------------------------------------------------------


def report_cards_visible_to(membership: Membership) -> QuerySet[ReportCard]:
    """Cards of initiatives the member sees; drafts only for those who edit them."""
    queryset = ReportCard.objects.filter(
        organization_id=membership.organization_id,
        initiative__in=initiatives_visible_to(membership, include_archived=True),
    )
    if not can(membership, "plans.edit"):
        queryset = queryset.filter(status=ReportCard.Status.ISSUED)
    return queryset.select_related("initiative", "organization")


def published_report_card(token: str) -> ReportCard | None:
    """The issued card published under `token`, of whichever organization (the caller
    has no scope yet: the token is all it knows); None for an unknown or revoked token."""
    if len(token) < 40:
        return None
    with scopes_disabled():
        return (
            ReportCard.objects.filter(public_token=token, status=ReportCard.Status.ISSUED)
            .select_related("initiative", "organization")
            .first()
        )
