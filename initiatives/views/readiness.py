"""The readiness matrix: ticking, adding, editing, reordering and removing items."""

from typing import Any

from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_htmx.http import reswap, retarget

from backbone.access import org_view
from backbone.forms import INVALID_FORM, form_write
from backbone.saved import announce_saved, append_fragment

from .. import services
from ..form_cache import kept_form
from ..forms import ReadinessItemForm, ReadinessItemTextForm, ReadinessTickForm
from ..models import Initiative, ReadinessItem
from ..selectors import readiness_grid
from .pages import access_initiative, access_row, page_with_form, posted_add_form, tab_url, to_tab

# Readiness matrix


def _readiness_context(initiative: Initiative, add_form=None) -> dict[str, Any]:
    grid = readiness_grid(initiative)
    return {
        "initiative": initiative,
        "tab": "readiness",
        "grid": grid,
        "current_percent": grid.percent_of(initiative.phase),
        # A refused form shows what was typed; the empty one is kept written (form_cache).
        "add_form": add_form
        or kept_form(
            initiative.organization_id,
            f"ReadinessItemForm:{initiative.phase}",
            lambda: ReadinessItemForm(initial={"phase": initiative.phase}, auto_id="add_%s"),
        ),
        "tick_form": ReadinessTickForm(initial={"done_on": timezone.localdate()}),
    }


@org_view("initiatives.view")
def readiness(request, initiative_id: int):
    initiative = access_initiative(request, initiative_id)
    form = posted_add_form(request, ReadinessItemForm)
    if form is not None and form.is_valid():
        item = services.readiness_item_add(initiative=initiative, **form.cleaned_data)
        if request.htmx:
            # The new item lands in its cell; the add form stays as it is for the next one.
            response = _render_item(request, item)
            return reswap(retarget(response, f"#cell-{item.phase}-{item.component}"), "outerHTML")
        return to_tab(request, "readiness", initiative.pk)
    if form is not None and request.htmx:
        return render(
            request,
            "initiatives/readiness.html#add-item",
            _readiness_context(initiative, form),
            status=INVALID_FORM,
        )
    return render(
        request,
        "initiatives/readiness.html",
        _readiness_context(initiative, form),
        status=INVALID_FORM if form is not None else 200,
    )


def _render_item(request, item: ReadinessItem, saved: str = "", **extra) -> HttpResponse:
    """After a change to one item: its cell in place (HTMX) with the phase's percentage out of
    band and, when given, what was `saved` for the live region; or the whole matrix."""
    initiative = item.initiative
    if not request.htmx:
        return to_tab(request, "readiness", initiative.pk, f"#cell-{item.phase}-{item.component}")
    grid = readiness_grid(initiative)
    cell = next(
        c
        for row in grid.rows
        for c in row.cells
        if (c.phase, c.component) == (item.phase, item.component)
    )
    response = render(
        request,
        "initiatives/readiness.html#cell",
        {
            "initiative": initiative,
            "cell": cell,
            "tick_form": ReadinessTickForm(initial={"done_on": timezone.localdate()}),
            **extra,
        },
    )
    summary = {"initiative": initiative, "current_percent": grid.percent_of(initiative.phase)}
    append_fragment(
        response, request, "initiatives/readiness.html#summary", {**summary, "oob": True}
    )
    return announce_saved(response, request, saved) if saved else response


@org_view("initiatives.edit")
@require_POST
def readiness_item_tick(request, readiness_item_id: int):
    item = access_row(request, ReadinessItem, readiness_item_id, write=True)
    # The button says what the person saw and wants ("done" 1: tick, 0: untick); when
    # someone did it meanwhile, theirs stands instead of being toggled back.
    wanted = request.POST.get("done")
    if item.is_done:
        if wanted != "1":
            services.readiness_item_untick(item=item)
            return _render_item(
                request, item, saved=_("Saved: “%(item)s” is open again.") % {"item": item.text}
            )
        return _render_item(request, item)
    if wanted == "0":
        return _render_item(request, item)
    form = ReadinessTickForm(request.POST, instance=ReadinessItem(done_on=None))
    if not form.is_valid():
        return _render_item(request, item, tick_errors={item.pk: form.errors})
    services.readiness_item_tick(
        item=item,
        by=request.user,
        done_on=form.cleaned_data["done_on"],
        evidence=form.cleaned_data["evidence"],
    )
    return _render_item(request, item, saved=_("Saved: “%(item)s” is done.") % {"item": item.text})


@org_view("initiatives.edit")
def readiness_item_edit(request, readiness_item_id: int):
    item = access_row(request, ReadinessItem, readiness_item_id)
    form = ReadinessItemTextForm(request.POST or None, instance=item)
    if form_write(form, services.readiness_item_update, item=item, by=request.user):
        return _render_item(request, item, saved=_("Saved."))
    return page_with_form(
        request,
        "initiatives/row_form.html",
        form,
        initiative=item.initiative,
        title=_("Edit readiness item"),
        action=request.path,
        back=tab_url(request, "readiness", item.initiative.pk),
    )


@org_view("initiatives.edit")
@require_POST
def readiness_item_move(request, readiness_item_id: int):
    item = access_row(request, ReadinessItem, readiness_item_id, write=True)
    item = services.readiness_item_move(item=item, up=request.POST.get("direction") != "down")
    return _render_item(request, item)


@org_view("initiatives.edit")
@require_POST
def readiness_item_remove(request, readiness_item_id: int):
    item = access_row(request, ReadinessItem, readiness_item_id, write=True)
    services.readiness_item_remove(item=item)
    return _render_item(request, item)
