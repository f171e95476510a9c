"""The rows of an initiative's long tables (action items, risks, people) written in Python:
a row through the templates includes two partials and reverses three addresses, and cost
more than the rest of its page. The HTML is the one the templates write, character for
character (`initiatives/actions.html#row`, `initiatives/risks.html#row`,
`initiatives/people.html#person-row`, with `components/row_table.html#status` and
`#row-actions`), in every language: `tests/initiatives/test_rows_written.py` compares them.

What every row of a page shares (the member's right to change them, the CSRF field, the
addresses, the translated labels) is worked out once, in a `RowControls` or `PeopleRows`.
A template's `{% translate "…" %}` of a literal is not escaped (a literal is safe, and so is
its translation): its `gettext` here is not either; values and labels of choices are.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from django.db.models import Model
from django.template.defaultfilters import linebreaksbr
from django.utils.formats import date_format, localize
from django.utils.html import conditional_escape, escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import Truncator
from django.utils.translation import gettext

from backbone.links import RowUrl, row_url
from backbone.models import Organization
from stakeholders.models import Sector

from .models import (
    ActionItem,
    EngagementLevel,
    ParticipantRole,
    Risk,
    RiskLevel,
    RiskStatus,
    WorkStatus,
)

DASH = "—"
CURRENT = ' aria-current="page"'  # the tab of the page
NOBODY = '<span class="muted">—</span>'  # a person with no role


def shown(value) -> str:
    """`{{ value }}`: localized as a template shows it, escaped unless safe."""
    return conditional_escape(localize(value))


def csrf_input(token: str) -> str:
    """`{% csrf_token %}` for this token."""
    if not token or token == "NOTPROVIDED":  # noqa: S105 (Django's "no token")
        return ""
    return f'<input type="hidden" name="csrfmiddlewaretoken" value="{escape(token)}">'


@dataclass(frozen=True)
class RowControls:
    """The controls of each row of an initiative's section (its status select, edit and
    remove), made once per page: `editable` is `membership|can_change:initiative`."""

    editable: bool
    csrf: str  # the hidden field, written once
    status_url: RowUrl
    edit_url: RowUrl
    remove_url: RowUrl
    status_choices: tuple[tuple[str, str, str], ...]  # (value, escaped, label escaped)
    status_labels: dict[str, str]  # value → label, escaped
    words: dict[str, str]  # translated, escaped

    @classmethod
    def of(
        cls,
        organization: Organization,
        *,
        editable: bool,
        csrf_token: str,
        url_prefix: str,
        id_kwarg: str,
        status_choices: Iterable[tuple[str, str]],
    ) -> "RowControls":
        """`url_prefix`: "initiatives:action_item" for …_status, …_edit and …_remove."""
        choices = tuple((value, escape(value), shown(label)) for value, label in status_choices)
        return cls(
            editable=editable,
            csrf=csrf_input(csrf_token),
            status_url=row_url(organization, f"{url_prefix}_status", id_kwarg),
            edit_url=row_url(organization, f"{url_prefix}_edit", id_kwarg),
            remove_url=row_url(organization, f"{url_prefix}_remove", id_kwarg),
            status_choices=choices,
            status_labels={value: label for value, _escaped, label in choices},
            words={
                "set": gettext("Set"),
                "edit": gettext("Edit"),
                "remove": gettext("Remove"),
                "confirm": gettext("Remove this row?"),
                "overdue": gettext("Overdue"),
            },
        )

    def status(self, row: Model) -> str:
        """components/row_table.html#status"""
        pk = row.pk
        if not self.editable:
            label = self.status_labels.get(row.status, escape(row.status))
            return f'<span class="badge badge--{escape(row.status)}">{label}</span>'
        url = self.status_url.of(pk)
        options = "".join(
            f'<option value="{escaped}"{" selected" if row.status == value else ""}>{label}</option>'
            for value, escaped, label in self.status_choices
        )
        label = gettext("Status of “%(row)s”") % {"row": escape(str(row))}
        return (
            f'\n<form method="post" action="{url}" hx-post="{url}" hx-target="#row-{pk}" '
            f'hx-swap="outerHTML" hx-trigger="change" class="inline-form">\n'
            f"  {self.csrf}\n"
            f'  <label class="visually-hidden" for="status-{pk}">{label}</label>\n'
            f'  <select name="status" id="status-{pk}">\n'
            f"    {options}\n"
            f"  </select>\n"
            f'  <noscript><button type="submit" class="button button--small">'
            f"{self.words['set']}</button></noscript>\n"
            f"  \n"
            f"</form>\n"
        )

    def actions(self, row: Model) -> str:
        """components/row_table.html#row-actions"""
        if not self.editable:
            return ""
        pk = row.pk
        edit, remove = self.edit_url.of(pk), self.remove_url.of(pk)
        return (
            f'\n<a class="button button--small button--secondary" href="{edit}" hx-get="{edit}" '
            f'hx-target="#row-{pk}" hx-swap="outerHTML">{self.words["edit"]}</a>\n'
            f'<form method="post" action="{remove}" hx-post="{remove}" hx-target="#row-{pk}" '
            f'hx-swap="outerHTML" hx-confirm="{self.words["confirm"]}" class="inline-form">'
            f"{self.csrf}\n"
            f'  <button type="submit" class="button button--small button--danger">'
            f"{self.words['remove']}</button>\n"
            f"</form>\n"
        )

    def actions_cell(self, row: Model) -> str:
        return f'  <td class="actions">\n    \n    \n    {self.actions(row)}\n  </td>\n'


def action_controls(organization, *, editable: bool, csrf_token: str) -> RowControls:
    return RowControls.of(
        organization,
        editable=editable,
        csrf_token=csrf_token,
        url_prefix="initiatives:action_item",
        id_kwarg="action_item_id",
        status_choices=WorkStatus.choices,
    )


def risk_controls(organization, *, editable: bool, csrf_token: str) -> RowControls:
    return RowControls.of(
        organization,
        editable=editable,
        csrf_token=csrf_token,
        url_prefix="initiatives:risk",
        id_kwarg="risk_id",
        status_choices=RiskStatus.choices,
    )


def _or_dash(value) -> str:
    """`{{ value|default:"—" }}`"""
    return shown(value) if value else DASH


def action_row(row: ActionItem, controls: RowControls, today: date) -> str:
    """initiatives/actions.html#row"""
    description = ""
    if row.description:
        words = Truncator(row.description).words(25, truncate=" …")
        description = f'<br><span class="muted">{escape(words)}</span>'
    due = escape(date_format(row.due_date, "DATE_FORMAT")) if row.due_date else DASH
    if row.due_date and row.due_date < today and row.status != "done":
        due += f' <span class="badge badge--overdue">{controls.words["overdue"]}</span>'
    return (
        f'\n<tr id="row-{row.pk}">\n'
        f'  <th scope="row">{escape(row.title)}{description}</th>\n'
        f"  <td>{_or_dash(row.lead)}</td>\n"
        f"  <td>{due}</td>\n"
        f"  <td>{controls.status(row)}</td>\n"
        f"  <td>{_or_dash(row.deliverable)}</td>\n"
        f"{controls.actions_cell(row)}"
        f"</tr>\n"
    )


def risk_row(row: Risk, controls: RowControls, levels: dict[str, str]) -> str:
    """initiatives/risks.html#row; `levels`: `risk_levels()`, once per page."""
    return (
        f'\n<tr id="row-{row.pk}">\n'
        f'  <th scope="row">{escape(row.description)}</th>\n'
        f'  <td><span class="badge badge--level-{escape(row.likelihood)}">'
        f"{levels.get(row.likelihood, escape(row.likelihood))}</span></td>\n"
        f'  <td><span class="badge badge--level-{escape(row.impact)}">'
        f"{levels.get(row.impact, escape(row.impact))}</span></td>\n"
        f'  <td class="num">{shown(row.severity)}</td>\n'
        f"  <td>{_or_dash(row.owner)}</td>\n"
        f"  <td>{linebreaksbr(row.mitigation, autoescape=True)}</td>\n"
        f"  <td>{controls.status(row)}</td>\n"
        f"{controls.actions_cell(row)}"
        f"</tr>\n"
    )


def risk_levels() -> dict[str, str]:
    return {value: shown(label) for value, label in RiskLevel.choices}


def rows_html(rows: Iterable[Model], write_row, *args) -> SafeString:
    return mark_safe("".join(write_row(row, *args) for row in rows))  # noqa: S308 (escaped above)


# People


@dataclass(frozen=True)
class PeopleRows:
    """What each row of the people table shares, once per page."""

    details: bool  # people_view.details: names link to the contact, e-mail and phone show
    editable: bool
    contact_url: RowUrl
    edit_url: RowUrl
    words: dict[str, str]
    levels: dict[str, str]
    roles: dict[str, str]
    sectors: dict[str, str]

    @classmethod
    def of(
        cls, *, details: bool, editable: bool, contact_url: RowUrl, edit_url: RowUrl
    ) -> "PeopleRows":
        return cls(
            details=details,
            editable=editable,
            contact_url=contact_url,
            edit_url=edit_url,
            words={
                "lived": gettext("Lived experience"),
                "edit": gettext("Edit"),
            },
            levels={value: shown(label) for value, label in EngagementLevel.choices},
            roles={value: shown(label) for value, label in ParticipantRole.choices},
            sectors={value: shown(label) for value, label in Sector.choices},
        )

    def row(self, p) -> str:
        """initiatives/people.html#person-row"""
        contact = p.contact
        name = escape(contact.full_name)
        if self.details:
            name = f'<a href="{self.contact_url.of(p.contact_id)}">{name}</a>'
        lived = (
            f'<span class="badge badge--lived">{self.words["lived"]}</span>'
            if contact.lived_experience
            else ""
        )
        partner = contact.partner.name if contact.partner_id else ""
        sector = self.sectors.get(contact.sector, escape(contact.sector))
        roles = "".join(
            f'<span class="tag">{self.roles.get(r.role, escape(r.role))}</span> '
            for r in p.roles.all()
        )
        level = self.levels.get(p.level, escape(p.level))
        details = ""
        if self.details:
            phone = f"<br>{escape(contact.phone)}" if contact.phone else ""
            details = f"<td>{escape(contact.email or '')}{phone}</td>"
        edit = ""
        if self.editable:
            edit = (
                f'<td class="actions"><a class="button button--small button--secondary" '
                f'href="{self.edit_url.of(p.pk)}">{self.words["edit"]}</a></td>'
            )
        return (
            "\n            <tr>\n"
            f'              <th scope="row">{name}\n'
            f"                {lived}</th>\n"
            f"              <td>{_or_dash(partner)}</td>\n"
            f"              <td>{sector}</td>\n"
            f"              <td>{roles or NOBODY}</td>\n"
            f'              <td><span class="badge badge--level-{escape(p.level)}">{level}</span></td>\n'
            f"              {details}\n"
            f"              {edit}\n"
            "            </tr>\n          "
        )


# Who came to an event


def attendee_rows(
    attendances, *, editable: bool, remove_url: RowUrl, csrf_token: str
) -> SafeString:
    """initiatives/event.html#attendee, for each of `attendances`."""
    csrf = csrf_input(csrf_token)
    walk_in = f'<span class="badge">{gettext("Walk-in")}</span>'
    remove = gettext("Remove")
    rows = []
    for a in attendances:
        name = escape(a.person_name)
        partner = a.contact.partner if a.contact_id else None
        works_at = f' <span class="muted">· {escape(partner.name)}</span>' if partner else ""
        form = ""
        if editable:
            form = (
                f'\n              <form method="post" action="{remove_url.of(a.pk)}" '
                f'class="inline-form">{csrf}<button type="submit" class="link-button">{remove}'
                f'<span class="visually-hidden"> {name}</span></button></form>\n            '
            )
        rows.append(
            f"\n          <li>{name}{works_at}\n"
            f"            {walk_in if a.walk_in else ''}\n"
            f"            {form}</li>\n        "
        )
    return mark_safe("".join(rows))  # noqa: S308 (escaped above)
