"""Report cards: assembling an initiative's period from approved data, issuing, publishing,
and drafting them on a schedule.

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
import secrets
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Count
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from backbone.markdown import render_document_markdown as render_markdown
from backbone.models import Membership, Organization, Role, User
from backbone.tasks import enqueue
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
from initiatives.selectors import readiness_grid
from measures.periods import Frequency, Period, parse_period, period_at
from stakeholders.models import Contact

from .data_sections import indicator_rows
from .report_card_models import Cadence, ReportCard, ReportCardFrozenError, ReportCardSchedule

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
    attendees = Attendance.objects.filter(event__in=events).values("contact_id").distinct().count()
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
    rows = indicator_rows(initiative, up_to=period)
    indicators = []
    for row in rows:
        if not row.indicator.is_active:
            continue
        indicator = row.indicator
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


# Writes.


@transaction.atomic
def report_card_create(
    *, initiative: Initiative, period: str, narrative: str = "", by_schedule: bool = False
) -> ReportCard:
    key = parse_card_period(period).key
    if ReportCard.objects.filter(initiative=initiative, period=key).exists():
        raise ValidationError(
            {"period": _("There is already a report card for %(period)s.") % {"period": key}}
        )
    return ReportCard.objects.create(
        organization_id=initiative.organization_id,
        initiative=initiative,
        period=key,
        narrative=narrative,
        drafted_by_schedule=by_schedule,
    )


@transaction.atomic
def report_card_update(*, card: ReportCard, narrative: str) -> ReportCard:
    if card.was_issued():
        raise ReportCardFrozenError()
    card.narrative = narrative
    card.save(update_fields=["narrative"])
    return card


@transaction.atomic
def report_card_issue(*, card: ReportCard, user: User | None) -> ReportCard:
    """Freeze the card: store what it shows today and render its PDF once."""
    card = ReportCard.objects.select_for_update().select_related("initiative").get(pk=card.pk)
    if card.is_issued:
        raise ReportCardFrozenError(_("This report card is already issued."))
    data = assemble(card)
    if not data["with_data_in_period"]:
        raise ValidationError(
            _(
                "There is no approved data for %(period)s yet: approve the partners' values "
                "for this period before the report card is issued."
            )
            % {"period": card.period}
        )
    if card.pdf:
        card.pdf.delete(save=False)  # the draft's PDF: the issued one is made from the snapshot
    card.snapshot = data
    card.status = ReportCard.Status.ISSUED
    card.issued_at = timezone.now()
    card.issued_by = user
    card.pdf_status = ReportCard.PdfStatus.PENDING
    card.pdf_hash = data_hash(data)
    card.pdf_pages = None
    card.save()
    from .tasks import render_report_card_pdf

    enqueue(render_report_card_pdf, organization_id=card.organization_id, report_card_id=card.pk)
    return card


@transaction.atomic
def report_card_delete(*, card: ReportCard) -> None:
    if card.was_issued():
        raise ReportCardFrozenError()
    card.delete()


@transaction.atomic
def report_card_pdf_request(*, card: ReportCard) -> ReportCard:
    """Queue the card's PDF: an issued card's once (again only if it failed), a draft's
    whenever its data changed since the last one."""
    card = ReportCard.objects.select_for_update().get(pk=card.pk)
    state = pdf_state(card)
    if state in ("ready", "working"):
        return card
    card.pdf_status = ReportCard.PdfStatus.PENDING
    card.pdf_error = ""
    fields = ["pdf_status", "pdf_error"]
    if not card.is_issued:
        card.pdf_hash = data_hash(assemble(card))
        fields.append("pdf_hash")
    card.save(update_fields=fields)
    from .tasks import render_report_card_pdf

    enqueue(render_report_card_pdf, organization_id=card.organization_id, report_card_id=card.pk)
    return card


@transaction.atomic
def report_card_publish(*, card: ReportCard) -> ReportCard:
    """Give an issued card a public, unguessable link (256 random bits)."""
    if not card.is_issued:
        raise ValidationError(_("Only an issued report card can be published."))
    if not card.public_token:
        card.public_token = secrets.token_urlsafe(32)
        card.published_at = timezone.now()
        card.save(update_fields=["public_token", "published_at"])
    return card


@transaction.atomic
def report_card_unpublish(*, card: ReportCard) -> ReportCard:
    """Revoke the public link: it answers 404 from now on; a new link gets a new token."""
    card.public_token = None
    card.published_at = None
    card.save(update_fields=["public_token", "published_at"])
    return card


@transaction.atomic
def schedule_set(*, initiative: Initiative, cadence: str) -> ReportCardSchedule | None:
    """Ask for report cards every six months or every year; "" stops asking."""
    if not cadence:
        ReportCardSchedule.objects.filter(initiative=initiative).delete()
        return None
    if cadence not in Cadence.values:
        raise ValidationError({"cadence": _("Choose every six months or every year.")})
    schedule, _created = ReportCardSchedule.objects.update_or_create(
        initiative=initiative,
        defaults={"cadence": cadence, "organization_id": initiative.organization_id},
    )
    return schedule


def last_closed_period(cadence: str, now: datetime.datetime, tz) -> Period:
    """The latest period of `cadence` that has ended, as the organization's clock reads it."""
    return period_at(now, cadence, tz).previous()


def scheduled_drafts(*, organization: Organization, now: datetime.datetime | None = None) -> int:
    """Draft the report card of each scheduled initiative whose period has closed, and tell
    the coordinators. Safe to run any number of times: one card per period, one notice."""
    now = now or timezone.now()
    tz = organization.tzinfo
    drafted = 0
    schedules = ReportCardSchedule.objects.filter(
        organization=organization, initiative__archived_at__isnull=True
    ).select_related("initiative")
    for schedule in schedules:
        period = last_closed_period(schedule.cadence, now, tz)
        if period.end < schedule.initiative.start_date:
            continue
        with transaction.atomic():
            card, created = ReportCard.objects.get_or_create(
                initiative=schedule.initiative,
                period=period.key,
                defaults={"organization": organization, "drafted_by_schedule": True},
            )
        drafted += int(created)
    for card in ReportCard.objects.filter(
        organization=organization, drafted_by_schedule=True, notified_at__isnull=True
    ).select_related("initiative"):
        # Claim the notice before sending it: a second run finds it claimed.
        claimed = ReportCard.objects.filter(pk=card.pk, notified_at__isnull=True).update(
            notified_at=timezone.now()
        )
        if claimed:
            _notify_coordinators(organization, card)
    return drafted


def _notify_coordinators(organization: Organization, card: ReportCard) -> None:
    recipients = list(
        Membership.objects.filter(
            organization=organization, role__in=[Role.ADMIN, Role.COORDINATOR]
        )
        .exclude(user__email="")
        .values_list("user__email", flat=True)
        .distinct()
    )
    if not recipients:
        return
    path = reverse(
        "plans:report_card_detail",
        kwargs={"org_slug": organization.slug, "report_card_id": card.pk},
    )
    url = getattr(settings, "SITE_URL", "").rstrip("/") + path
    context = {"card": card, "organization": organization, "url": url}
    send_mail(
        subject=_("Report card %(period)s of %(initiative)s is drafted: review and issue it")
        % {"period": card.period, "initiative": card.initiative.name},
        message=render_to_string("plans/report_cards/notice.txt", context),
        from_email=None,
        recipient_list=recipients,
    )


def report_card_counts(initiatives: list[Initiative]) -> dict[int, int]:
    rows = (
        ReportCard.objects.filter(initiative__in=initiatives, status=ReportCard.Status.ISSUED)
        .values("initiative_id")
        .annotate(n=Count("pk"))
    )
    return {row["initiative_id"]: row["n"] for row in rows}
