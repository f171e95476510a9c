"""Writes of report cards: drafting, issuing, publishing, drafting them on a schedule,
and rendering their PDFs.

A service never queues a job itself: the view or task that called it queues the
follow-up (e.g. the PDF of a card just issued) once the service has returned.
"""

from __future__ import annotations

import datetime
import io
import secrets

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from pypdf import PdfReader

from backbone.links import absolute_url, org_url
from backbone.mail import send_branded_text, staff_addresses
from backbone.models import Organization, User
from backbone.stale import note_editor, require_unchanged
from initiatives.models import Initiative
from measures.periods import Period, period_at

from ..models import Cadence, ReportCard, ReportCardFrozenError, ReportCardSchedule
from ..notices import tell_issued
from ..pdf import report_card_pdf_bytes
from ..selectors.report_card import assemble, data_hash, parse_card_period, pdf_state


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
def report_card_update(
    *, card: ReportCard, narrative: str, seen: str | None = None, by=None
) -> ReportCard:
    """Save a draft card's narrative; a form's `seen` fingerprint refuses a save over a
    change made meanwhile (see `backbone.stale`)."""
    if card.was_issued():
        raise ReportCardFrozenError()
    require_unchanged(card, ["narrative"], seen)
    card.narrative = narrative
    card.save(update_fields=["narrative"])
    note_editor(card, ["narrative"], by)
    return card


@transaction.atomic
def report_card_issue(*, card: ReportCard, user: User | None) -> ReportCard:
    """Freeze the card: store what it shows today. Its PDF is to be rendered once, from
    that snapshot: the caller queues `render_report_card_pdf`."""
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
    tell_issued(card)
    return card


@transaction.atomic
def report_card_delete(*, card: ReportCard) -> None:
    if card.was_issued():
        raise ReportCardFrozenError()
    card.delete()


@transaction.atomic
def report_card_pdf_request(*, card: ReportCard) -> tuple[ReportCard, bool]:
    """Ask for the card's PDF: an issued card's once (again only if it failed), a draft's
    whenever its data changed since the last one. Returns the card and whether its
    rendering must be queued now (`render_report_card_pdf`, by the caller)."""
    card = ReportCard.objects.select_for_update().get(pk=card.pk)
    state = pdf_state(card)
    if state in ("ready", "working"):
        return card, False
    card.pdf_status = ReportCard.PdfStatus.PENDING
    card.pdf_error = ""
    fields = ["pdf_status", "pdf_error"]
    if not card.is_issued:
        card.pdf_hash = data_hash(assemble(card))
        fields.append("pdf_hash")
    card.save(update_fields=fields)
    return card, True


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
    url = absolute_url(org_url(organization, "plans:report_card_detail", report_card_id=card.pk))
    context = {"card": card, "organization": organization, "url": url}
    for email, language in staff_addresses(organization):
        with translation.override(language):
            send_branded_text(
                organization=organization,
                subject=_(
                    "Report card %(period)s of %(initiative)s is drafted: review and issue it"
                )
                % {"period": card.period, "initiative": card.initiative.name},
                text=render_to_string("plans/email/report_card_notice.txt", context),
                to=[email],
            )


def report_card_pdf_render(*, organization: Organization, report_card_id: int) -> str:
    """Render a card's PDF into storage: an issued card's once, from its snapshot; a draft's
    from its data as it is now (skipped if the draft changed since it was asked for)."""
    card = ReportCard.objects.select_related("initiative", "organization").get(
        pk=report_card_id, organization=organization
    )
    if card.pdf_status == ReportCard.PdfStatus.READY and card.pdf:
        return "already rendered"
    if card.is_issued:
        content = card.snapshot
    else:
        content = assemble(card)
        if data_hash(content) != card.pdf_hash:
            return "the draft changed since; a new PDF is asked for"
    ReportCard.objects.filter(pk=card.pk).update(pdf_status=ReportCard.PdfStatus.RENDERING)
    try:
        data = report_card_pdf_bytes(card, content)
    except Exception as exc:
        card.pdf_status = ReportCard.PdfStatus.FAILED
        card.pdf_error = str(exc)[:2000]
        card.save(update_fields=["pdf_status", "pdf_error"])
        raise
    if card.pdf:
        card.pdf.delete(save=False)
    suffix = "" if card.is_issued else f"-draft-{card.pdf_hash[:12]}"
    card.pdf.save(f"report-card-{card.initiative_id}-{card.period}{suffix}.pdf", ContentFile(data),
                  save=False)  # fmt: skip
    card.pdf_pages = len(PdfReader(io.BytesIO(data)).pages)
    card.pdf_status = ReportCard.PdfStatus.READY
    card.save(update_fields=["pdf", "pdf_pages", "pdf_status"])
    return f"{card.pdf_pages} pages"
