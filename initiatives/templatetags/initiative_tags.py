"""Template tags of an initiative's pages: its tabs, and whether its controls show."""

import functools

from django import template
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from backbone.links import org_url
from backbone.navigation import Tab
from backbone.permissions import can

from ..selectors.reflections import past_board

register = template.Library()

# (tab, its URL name, its label), in the order of the tab bar.
INITIATIVE_TABS = (
    ("overview", "initiatives:detail", _("Overview")),
    ("readiness", "initiatives:readiness", _("Readiness")),
    ("deliverables", "initiatives:deliverables", _("Deliverables")),
    ("actions", "initiatives:actions", _("Action plan")),
    ("governance", "initiatives:governance", _("Governance")),
    ("risks", "initiatives:risks", _("Risks")),
    ("people", "initiatives:people", _("People")),
    ("map", "initiatives:system_map", _("System map")),
    ("events", "initiatives:events", _("Events")),
    ("commitments", "initiatives:commitments", _("Commitments")),
    ("stories", "initiatives:stories", _("Stories")),
    ("funding", "initiatives:funding", _("Funding")),
)


@functools.cache
def _tab_suffixes() -> tuple[str, ...]:
    """What each tab's address adds to the initiative's own (every tab is a page under it),
    reversed once per process: a page then reverses one address, not twelve."""
    ids = {"org_slug": "any", "initiative_id": 987654321}
    base = reverse("initiatives:detail", kwargs=ids)
    suffixes = []
    for _key, name, _label in INITIATIVE_TABS:
        url = reverse(name, kwargs=ids)
        assert url.startswith(base), f"{name} is not under initiatives:detail"
        suffixes.append(url[len(base) :])
    return tuple(suffixes)


@register.simple_tag(takes_context=True)
def initiative_tabs(context, initiative, current: str = "") -> list[Tab]:
    """`{% initiative_tabs initiative tab as tabs %}`: the sections of one initiative."""
    base = org_url(context["organization"], "initiatives:detail", initiative_id=initiative.pk)
    return [
        Tab(label, base + suffix, key == current)
        for (key, _name, label), suffix in zip(INITIATIVE_TABS, _tab_suffixes(), strict=True)
    ]


@register.filter
def can_change(membership, initiative) -> bool:
    """`{% if membership|can_change:initiative %}`: may edit initiatives, and this one is not
    read-only (archived). Add, edit and remove controls ask this; the views refuse the writes."""
    return can(membership, "initiatives.edit") and not initiative.read_only_reason


@register.filter
def overdue_on(row, today) -> bool:
    """`{% if row|overdue_on:today %}`: a deliverable or action item past due and not done."""
    return row.is_overdue(today)


@register.filter
def reflection_groups(reflections: list[dict]):
    """A transition's kept reflection board, by question: [(question label, notes)]."""
    return past_board(reflections or [])
