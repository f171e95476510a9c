"""The searches behind the registry's pickers (stakeholders.pickers): at most
PICKER_RESULTS people or partners the member may see, as the picker's radio buttons
(or checkboxes); `picker_answer` serves other registries' pickers too."""

import re

from django.core.exceptions import BadRequest
from django.shortcuts import render
from django.utils.translation import gettext as _

from backbone.access import org_view
from backbone.ids import ids_parse

from . import selectors
from .pickers import CONTACTS, PARTNERS, PICKER_RESULTS, Registry, results_context

FIELD_NAME = re.compile(r"[\w-]{1,100}")


def picker_answer(request, queryset, registry: Registry, title, label=None):
    """The matches of the typed text among `queryset` (what the member may see, of
    `registry`): the picker's results for htmx, a page to look a name up otherwise."""
    matching, labeller = registry.matching, registry.label_of
    name, widget_id = request.GET.get("field", "q"), request.GET.get("id", "picker")
    if not FIELD_NAME.fullmatch(name) or not FIELD_NAME.fullmatch(widget_id):
        raise BadRequest("Not a field.")
    # A choice of several people (pickers.MultiPickerWidget) types in `<name>_search` and
    # answers with checkboxes named `<name>`; a choice of one, radio buttons `<name>_pick`.
    multiple = bool(request.GET.get("multiple"))
    text = " ".join(request.GET.get(f"{name}_search" if multiple else name, "").split())
    found = list(matching(queryset, text)[: PICKER_RESULTS + 1]) if text else []
    # Matches ticked before this search came again (the picker sends them): kept, ticked.
    ticked = ids_parse(request.GET.getlist(name))[:PICKER_RESULTS] if multiple else []
    kept = list(queryset.filter(pk__in=ticked)) if ticked else []
    kept_ids = {obj.pk for obj in kept}
    found = [obj for obj in found if obj.pk not in kept_ids]
    results = results_context(
        name=name,
        widget_id=widget_id,
        matches=[(obj.pk, labeller(obj)) for obj in kept + found[:PICKER_RESULTS]],
        chosen=None,
        required=not request.GET.get("optional"),
        more=len(found) > PICKER_RESULTS,
        searched=bool(text),
    )
    if multiple:
        results.update(name=name, multiple=True, ticked=kept_ids)
    if request.htmx:
        return render(request, "components/picker_results.html", {"results": results})
    context = {
        "results": results,
        "field": name,
        "text": text,
        "title": title,
        "label": label or _("Name"),
    }
    return render(request, "stakeholders/picker_search.html", context)


@org_view("stakeholders.view")
def pick_contacts(request):
    """People matching the typed text, among those the member may see (a partner user:
    their own partner's people only)."""
    return picker_answer(
        request,
        selectors.contacts_visible_to(request.membership),
        CONTACTS,
        _("Find a person"),
        _("Name or e-mail"),
    )


@org_view("stakeholders.view")
def pick_partners(request):
    return picker_answer(
        request,
        selectors.partners_visible_to(request.membership),
        PARTNERS,
        _("Find a partner"),
    )
