"""Template tags of an initiative's pages: its header and tabs, and whether its controls show."""

import functools

from django import template
from django.urls import reverse
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from backbone.links import org_url
from backbone.navigation import Tab
from backbone.permissions import can

from ..row_html import CURRENT, csrf_input, shown
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
    return initiative_tab_list(context["organization"], initiative, current)


def initiative_tab_list(organization, initiative, current: str = "") -> list[Tab]:
    base = org_url(organization, "initiatives:detail", initiative_id=initiative.pk)
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


@register.simple_tag(takes_context=True)
def initiative_header(context) -> str:
    """`{% initiative_header %}`: what the partial `#header` of initiative_page.html writes
    (the page's `initiative`, `membership`, `organization`, `tab`), written in Python."""
    return write_initiative_header(
        context["initiative"],
        organization=context["organization"],
        membership=context.get("membership"),
        tab=context.get("tab", ""),
        csrf_token=str(context.get("csrf_token", "")),
    )


# The header of every page of one initiative


def write_initiative_header(
    initiative, *, organization, membership, tab: str, csrf_token: str
) -> SafeString:
    """initiatives/initiative_page.html#header: the initiative's name, phase, controls and
    tabs in Python (`tests/initiatives/test_rows_written.py` compares them)."""
    archived = initiative.is_archived
    csrf = csrf_input(csrf_token)
    detail = org_url(organization, "initiatives:detail", initiative_id=initiative.pk)
    archive_url = f"{detail}archive/"
    badge = f'<span class="badge badge--archived">{gettext("Archived")}</span>' if archived else ""
    geography = f" · {escape(initiative.geography)}" if initiative.geography else ""
    controls = ""
    if can_change(membership, initiative):
        controls = (
            '\n    <div class="actions">\n'
            f'      <a class="button button--secondary button--small" href="{detail}edit/">'
            f"{gettext('Edit details')}</a>\n"
            f'      <form method="post" action="{archive_url}" class="inline-form">{csrf}\n'
            f'        <button type="submit" class="button button--small button--secondary">'
            f"{gettext('Archive')}</button>\n"
            "      </form>\n"
            "    </div>\n  "
        )
    banner = ""
    if archived:
        restore = ""
        if can(membership, "initiatives.edit"):
            restore = (
                f'\n      <form method="post" action="{archive_url}" class="inline-form">{csrf}\n'
                f'        <button type="submit" class="button button--small">'
                f"{gettext('Restore')}</button>\n"
                "      </form>\n    "
            )
        banner = (
            '\n  <div class="alert alert--warning archived-banner" role="status">\n'
            f"    <p>{gettext('This initiative is archived: it can be read but not changed.')}</p>\n"
            f"    {restore}\n"
            "  </div>\n"
        )
    tabs = "".join(
        f'<li><a href="{escape(t.url)}"{CURRENT if t.current else ""}>'
        f"{shown(t.label)}</a></li>\n    "
        for t in initiative_tab_list(organization, initiative, tab)
    )
    index = org_url(organization, "initiatives:index")
    html = (
        '\n<div class="page-header">\n'
        "  <div>\n"
        f'    <p class="muted"><a href="{index}">{gettext("Initiatives")}</a></p>\n'
        f"    <h1>{escape(initiative.name)}</h1>\n"
        f'    <p><span class="badge badge--phase">{shown(initiative.get_phase_display())}</span>\n'
        f"      {badge}\n"
        f'      <span class="muted">{escape(initiative.issue)}{geography}</span></p>\n'
        "  </div>\n"
        f"  {controls}\n"
        "</div>\n"
        f"{banner}\n\n\n"
        f'<nav class="tabs" aria-label="{gettext("Sections of the initiative")}">\n'
        '  <ul role="list">\n'
        f"    {tabs}\n"
        "  </ul>\n"
        "</nav>\n\n"
    )
    return mark_safe(html)  # noqa: S308 (escaped above)
