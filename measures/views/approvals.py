"""The approval queue, each value with its context (last approved value, change, flags),
and the history of one value."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from backbone.access import access, org_view, refuse_if_read_only
from backbone.ids import ids_parse
from backbone.links import org_url

from .. import selectors, services
from ..chart_cache import cached_fragment
from ..flags import FLAG_LABELS, flag_points
from ..forms import ApprovalFilterForm
from ..list_rows import approval_rows
from ..panel_cache import KEPT_QUERY, cached_page, kept_list_page

QUEUE_LIMIT = 1000


def _queue(request):
    """The filter form and the queue it selects, flagged and sorted: a fixed number of queries."""
    queue = selectors.approval_queue(request.organization.pk)
    initiatives = selectors.queue_initiatives(request.organization.pk)
    partners = selectors.queue_partners(request.organization.pk)
    filters = ApprovalFilterForm(
        request.GET or None,
        initiatives=initiatives,
        partners=partners,
        flags=[(key, label) for key, label in FLAG_LABELS.items()],
    )
    wanted = filters.cleaned_data if filters.is_valid() else {}
    if wanted.get("initiative"):
        queue = queue.filter(indicator__initiative_id=wanted["initiative"])
    if wanted.get("partner"):
        queue = queue.filter(partner_id=wanted["partner"])
    points = flag_points(queue[:QUEUE_LIMIT])
    flag = wanted.get("flag")
    if flag == "any":
        points = [p for p in points if p.flags]
    elif flag == "none":
        points = [p for p in points if not p.flags]
    elif flag:
        points = [p for p in points if any(f.key == flag for f in p.flags)]
    sort = wanted.get("sort")
    if sort == "partner":
        points.sort(key=lambda p: (p.partner.name, p.indicator.name, p.period, p.cell))
    elif sort == "change":
        points.sort(key=lambda p: -abs(p.change) if p.change is not None else 0)
    elif sort == "flagged":
        points.sort(key=lambda p: not p.flags)
    return filters, points


@org_view("measures.approve")
def approvals(request):
    if request.method == "POST":
        ids = ids_parse(request.POST.getlist("points"))
        action = request.POST.get("action")
        _decide(request, ids, action)
        return redirect(org_url(request.organization, "measures:approvals"))
    # Kept as HTML per query string (a short one) while the organization's measures are
    # unchanged (measures.panel_cache).
    partial = "results" if request.htmx else "body"

    def context() -> dict:
        filters, queue = _queue(request)
        unflagged = sum(1 for p in queue if not p.flags)
        rows = approval_rows(request.organization, queue)
        return {"queue": queue, "rows": rows, "filters": filters, "unflagged": unflagged}

    return kept_list_page(request, "measures/approvals.html", "approvals", partial, context)


def _decide(request, ids: list[int], action: str | None) -> None:
    # The values of an archived initiative are frozen with it.
    for point in (
        selectors.data_points_visible_to(request.membership)
        .filter(pk__in=ids)
        .select_related("indicator__initiative")
    ):
        refuse_if_read_only(point)
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


@require_http_methods(["GET", "POST"])
@org_view("measures.approve")
def approve_unflagged(request):
    """Approve, in one action, every value of the (filtered) queue that carries no flag;
    the confirmation says how many, and only those the person saw are approved."""
    if request.method == "POST":
        shown = set(ids_parse(request.POST.get("points", "").split(",")))
        still = flag_points(selectors.approval_queue(request.organization.pk).filter(pk__in=shown))
        _decide(request, [p.pk for p in still if not p.flags], "approve")
        return redirect(org_url(request.organization, "measures:approvals"))
    # The ids are kept like the queue's page (the post reads the queue again).
    query = request.GET.urlencode()

    def unflagged() -> list[int]:
        _filters, queue = _queue(request)
        return [p.pk for p in queue if not p.flags]

    if len(query) <= KEPT_QUERY:
        parts = (request.membership.role, timezone.localdate(), query)
        ids = cached_fragment(request.organization, "unflagged", parts, unflagged)
    else:
        ids = unflagged()
    back = org_url(request.organization, "measures:approvals")
    return render(
        request,
        "confirm.html",
        {
            "title": _("Approve every unflagged value"),
            "lead": _(
                "%(count)s value(s) carry no flag and will be approved; they reach the "
                "charts at once. Flagged values stay in the queue."
            )
            % {"count": len(ids)},
            "button": _("Approve %(count)s value(s)") % {"count": len(ids)},
            "button_class": "button",
            "hidden": {"points": ",".join(map(str, ids))},
            "cancel_url": back,
        },
    )


@org_view("measures.view")
def data_point_detail(request, data_point_id):
    point = access(
        request,
        selectors.data_points_visible_to(request.membership).select_related(
            "indicator", "indicator__initiative", "partner"
        ),
        pk=data_point_id,
    )

    # Kept as HTML while the organization's measures are unchanged (measures.panel_cache).
    def make(extra: dict) -> str:
        context = {"point": point, "changes": point.changes.select_related("actor"), **extra}
        return render_to_string("measures/data_point.html#body", context, request)

    body = cached_page(request, "data-point", (point.pk,), make)
    return render(request, "measures/data_point.html", {"point": point, "body": body})
