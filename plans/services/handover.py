"""Writes of the handover report: ask for one, render it (in a job)."""

import io

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from pypdf import PdfReader

from backbone.models import Organization, User
from initiatives.models import Initiative

from ..handover import handover_pdf_bytes
from ..models import HandoverReport


@transaction.atomic
def handover_request(*, initiative: Initiative, by: User) -> HandoverReport:
    """A new handover report of the initiative as it stands (the caller enqueues
    `tasks.render_handover_pdf`)."""
    return HandoverReport.objects.create(
        organization=initiative.organization, initiative=initiative, requested_by=by
    )


def handover_render(*, organization: Organization, report_id: int) -> str:
    """Render one report; one already made is left alone (safe to run twice)."""
    report = HandoverReport.objects.select_related("initiative").get(
        pk=report_id, organization=organization
    )
    if report.status == HandoverReport.Status.READY:
        return "already rendered"
    try:
        data = handover_pdf_bytes(report.initiative)
    except Exception as exc:
        HandoverReport.objects.filter(pk=report.pk).update(
            status=HandoverReport.Status.FAILED, error=str(exc)[:2000], finished_at=timezone.now()
        )
        raise
    stamp = timezone.localtime(report.requested_at)
    report.file.save(
        f"handover-{report.initiative_id}-{stamp:%Y%m%d-%H%M}.pdf", ContentFile(data), save=False
    )
    report.pages = len(PdfReader(io.BytesIO(data)).pages)
    report.status = HandoverReport.Status.READY
    report.finished_at = timezone.now()
    report.save(update_fields=["file", "pages", "status", "finished_at"])
    return f"{report.pages} pages"
