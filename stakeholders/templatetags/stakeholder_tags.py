"""Template tags of the registry's pages."""

from django import template
from django.utils.translation import gettext_lazy as _

from backbone.links import org_url
from backbone.navigation import Tab
from backbone.permissions import can

register = template.Library()

# (tab, its URL name, its label, the permission it needs or None), in the order of the tab bar.
STAKEHOLDER_TABS = (
    ("contacts", "stakeholders:index", _("Contacts"), None),
    ("partners", "stakeholders:partner_list", _("Partners"), None),
    ("capacity", "stakeholders:capacity_table", _("Capacity"), "capacity.view"),
    ("tags", "stakeholders:tag_list", _("Tags"), "stakeholders.edit"),
    ("import", "stakeholders:import_start", _("Import and export"), "stakeholders.edit"),
)


@register.simple_tag(takes_context=True)
def stakeholder_tabs(context, current: str) -> list[Tab]:
    """`{% stakeholder_tabs "contacts" as tabs %}`: the registry's lists the member may open."""
    organization, membership = context["organization"], context["membership"]
    return [
        Tab(label, org_url(organization, name), key == current)
        for key, name, label, permission in STAKEHOLDER_TABS
        if permission is None or can(membership, permission)
    ]
