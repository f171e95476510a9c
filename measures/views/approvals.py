"""The approval queue and the history of one value."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from backbone.access import access, org_view, refuse_if_read_only
from backbone.ids import ids_parse
from backbone.links import org_url

from .. import selectors, services


@org_view("measures.approve")
def approvals(request):
    if request.method == "POST":
        ids = ids_parse(request.POST.getlist("points"))
        # The values of an archived initiative are frozen with it.
        for point in (
            selectors.data_points_visible_to(request.membership)
            .filter(pk__in=ids)
            .select_related("indicator__initiative")
        ):
            refuse_if_read_only(point)
        action = request.POST.get("action")
        try:
            if action == "return":
                count = services.data_points_return(
                    organization=request.organization,
                    ids=ids,
                    user=request.user,
                    reason=request.POST.get("reason", ""),
                )
                messages.success(request, _("%(count)s value(s) returned.") % {"count": count})
            else:
                count = services.data_points_approve(
                    organization=request.organization, ids=ids, user=request.user
                )
                messages.success(request, _("%(count)s value(s) approved.") % {"count": count})
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        return redirect(org_url(request.organization, "measures:approvals"))
    queue = list(selectors.approval_queue(request.organization.pk)[:1000])
    return render(request, "measures/approvals.html", {"queue": queue})


@org_view("measures.view")
def data_point_detail(request, data_point_id):
    point = access(
        request,
        selectors.data_points_visible_to(request.membership).select_related(
            "indicator", "indicator__initiative", "partner"
        ),
        pk=data_point_id,
    )
    changes = point.changes.select_related("actor")
    return render(request, "measures/data_point.html", {"point": point, "changes": changes})
