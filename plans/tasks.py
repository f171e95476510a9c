"""Background work of the plans app: rendering PDFs."""

from __future__ import annotations

import io

from celery import shared_task
from django.core.files.base import ContentFile
from django.utils import timezone
from pypdf import PdfReader

from backbone.models import Organization
from backbone.tasks import TenantTask, fan_out

from .models import PlanPdf, ReportCard
from .pdf import plan_pdf_bytes, report_card_pdf_bytes
from .selectors import version_content


@shared_task(base=TenantTask, name="plans.render_plan_pdf")
def render_plan_pdf(organization: Organization, *, pdf_id: int) -> str:
    """Render one PlanPdf row; a row already made is left alone (safe to run twice)."""
    pdf = PlanPdf.objects.select_related("version__plan__initiative", "version__organization").get(
        pk=pdf_id, organization=organization
    )
    if pdf.status == PlanPdf.Status.READY:
        return "already rendered"
    PlanPdf.objects.filter(pk=pdf.pk).update(status=PlanPdf.Status.RENDERING)
    try:
        data = plan_pdf_bytes(version_content(pdf.version))
    except Exception as exc:
        PlanPdf.objects.filter(pk=pdf.pk).update(
            status=PlanPdf.Status.FAILED, error=str(exc)[:2000], finished_at=timezone.now()
        )
        raise
    initiative = pdf.version.plan.initiative
    name = f"plan-{initiative.pk}-v{pdf.version.number}-{pdf.content_hash[:12]}.pdf"
    pdf.file.save(name, ContentFile(data), save=False)
    pdf.pages = len(PdfReader(io.BytesIO(data)).pages)
    pdf.status = PlanPdf.Status.READY
    pdf.finished_at = timezone.now()
    pdf.save(update_fields=["file", "pages", "status", "finished_at"])
    # A draft keeps only the PDF of its latest content; older ones are stale.
    if not pdf.version.is_adopted:
        for stale in PlanPdf.objects.filter(version=pdf.version).exclude(pk=pdf.pk):
            if stale.file:
                stale.file.delete(save=False)
            stale.delete()
    return f"{pdf.pages} pages"


@shared_task(base=TenantTask, name="plans.render_report_card_pdf")
def render_report_card_pdf(organization: Organization, *, report_card_id: int) -> str:
    """Render a card's PDF into storage: an issued card's once, from its snapshot; a draft's
    from its data as it is now (skipped if the draft changed since it was asked for)."""
    from .report_cards import assemble, data_hash

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


@shared_task(name="plans.dispatch_report_card_schedules")
def dispatch_report_card_schedules() -> int:
    """Beat entry (hourly): one drafting job per organization. Reads no tenant rows."""
    return fan_out(draft_scheduled_report_cards)


@shared_task(base=TenantTask, name="plans.draft_scheduled_report_cards")
def draft_scheduled_report_cards(organization: Organization) -> str:
    from .report_cards import scheduled_drafts

    return f"drafted {scheduled_drafts(organization=organization)}"


from .newsletter_tasks import (  # noqa: E402, F401 - registers the newsletter jobs with Celery
    dispatch_scheduled_newsletters,
    dispatch_weekly_newsletters,
    draft_weekly_newsletter,
    send_due_newsletters,
    send_newsletter,
)
