"""The handover report of an initiative: ask for it (a job renders the PDF), see it come,
download it. Readers of the whole organization only: it lists key contacts."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from backbone.access import access, org_view, require
from backbone.files import file_response
from backbone.links import org_url
from backbone.tasks import enqueue
from initiatives.selectors import initiatives_visible_to

from .. import tasks
from ..handover import handover_titles
from ..models import HandoverReport
from ..services.handover import handover_request


@org_view("handover.view")
def handover(request, initiative_id: int):
    """GET: the reports made so far and what the next one will hold; POST (staff): make
    one of the initiative as it stands (a read: allowed on an archived initiative too)."""
    initiative = access(
        request, initiatives_visible_to(request.membership, include_archived=True), pk=initiative_id
    )
    if request.method == "POST":
        require(request, "handover.make")
        report = handover_request(initiative=initiative, by=request.user)
        enqueue(tasks.render_handover_pdf, organization_id=initiative.organization_id,
                report_id=report.pk)  # fmt: skip
        messages.success(request, _("The handover report is being made; it is listed below."))
        return redirect(
            org_url(request.organization, "plans:handover", initiative_id=initiative.pk)
        )
    reports = HandoverReport.objects.filter(initiative=initiative).select_related("requested_by")
    return render(
        request,
        "plans/handover.html",
        {
            "initiative": initiative,
            "tab": "plan",
            "reports": reports[:10],
            "parts": handover_titles(),
        },
    )


@org_view("handover.view")
def handover_download(request, report_id: int):
    report = access(
        request,
        HandoverReport.objects.filter(
            status=HandoverReport.Status.READY,
            initiative__in=initiatives_visible_to(request.membership, include_archived=True),
        ).select_related("initiative"),
        pk=report_id,
    )
    stamp = report.requested_at.date().isoformat()
    name = f"{report.initiative.name} - handover {stamp}.pdf"
    return file_response(report.file, filename=name, attachment=True)
