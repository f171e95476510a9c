"""The yearly indicator review: one screen per initiative that walks the indicators in turn."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from backbone.access import access, org_view, require
from backbone.forms import form_status, form_write
from backbone.ids import whole_number
from backbone.links import org_url
from backbone.permissions import can

from .. import reviews
from ..forms import VerdictForm
from ..panel_cache import cached_page
from . import access_measured_initiative


def _step_url(request, review, step: int) -> str:
    url = org_url(request.organization, "measures:indicator_review", indicator_review_id=review.pk)
    return f"{url}?step={step}"


@org_view("measures.view")
def indicator_reviews(request, initiative_id):
    """The initiative's reviews, year by year; staff open this year's."""
    initiative = access_measured_initiative(request, initiative_id, write=request.method == "POST")
    if request.method == "POST":
        require(request, "measures.define")
        review = reviews.indicator_review_open(
            initiative=initiative, year=timezone.localdate().year, by=request.user
        )
        return redirect(_step_url(request, review, 1))
    rows = reviews.reviews_visible_to(request.membership).filter(initiative=initiative)
    return render(
        request,
        "measures/indicator_reviews.html",
        {
            "initiative": initiative,
            # Each review's decisions counted in SQL, not read.
            "reviews": rows.annotate(decisions=Count("verdicts")).order_by("-year"),
            "year": timezone.localdate().year,
        },
    )


@org_view("measures.view")
def indicator_review(request, indicator_review_id):
    """One indicator of the review at a time (`?step=`), with previous and next, the
    progress, and the three questions and the decision for those who may answer. For the
    staff (who may answer every indicator) a step is kept as HTML while the organization's
    measures are unchanged (`measures.panel_cache`)."""
    review = access(
        request,
        reviews.reviews_visible_to(request.membership),
        pk=indicator_review_id,
        write=request.method == "POST",
    )
    if request.method != "POST":
        step = (request.GET.get("step") or "")[:12]
        keep = can(request.membership, "measures.define")

        def make(extra: dict) -> str:
            context = {**_review_step(request, review)[0], **extra}
            return render_to_string("measures/indicator_review.html#body", context, request)

        body = cached_page(request, "review", (review.pk, step), make, keep=keep)
        return render(request, "measures/indicator_review.html", {"review": review, "body": body})
    context, form = _review_step(request, review)
    if context is None:
        return form
    return render(request, "measures/indicator_review.html", context, status=form_status(form))


def _review_step(request, review):
    """(the step's context, its form); on a saved POST, (None, the redirect)."""
    indicators = reviews.review_indicators(review)
    total = len(indicators)
    step = whole_number(request.GET.get("step") or 1, minimum=1) or 1
    step = min(step, total) if total else 1
    indicator = indicators[step - 1] if total else None
    verdicts = {v.indicator_id: v for v in review.verdicts.all()}
    verdict = verdicts.get(indicator.pk) if indicator else None
    may_answer = bool(indicator) and reviews.may_answer(request.membership, indicator)
    form = None
    if request.method == "POST":
        if not may_answer:
            raise PermissionDenied
        form = VerdictForm(request.POST)
        saved = form_write(
            form,
            reviews.indicator_verdict_record,
            review=review,
            indicator=indicator,
            by=request.user,
            today=timezone.localdate(),
        )
        if saved:
            messages.success(
                request, _("Decision on “%(name)s” recorded.") % {"name": indicator.name}
            )
            return None, redirect(_step_url(request, review, min(step + 1, total)))
    elif may_answer:
        initial = {"new_name": indicator.name, "new_definition": indicator.definition}
        if verdict:
            initial.update(
                {
                    f: getattr(verdict, f)
                    for f in ("still_relevant", "right_thing", "data_quality", "comment")
                },
                decision=verdict.decision,
            )
        form = VerdictForm(initial=initial)
    context = {
        "review": review,
        "initiative": review.initiative,
        "indicator": indicator,
        "verdict": verdict,
        "form": form,
        "step": step,
        "total": total,
        "decided": len(verdicts),
        "percent": round(100 * len(verdicts) / total) if total else 0,
        "previous_url": _step_url(request, review, step - 1) if step > 1 else "",
        "next_url": _step_url(request, review, step + 1) if step < total else "",
        "steps": [
            (number, item, verdicts.get(item.pk)) for number, item in enumerate(indicators, start=1)
        ],
    }
    return context, form
