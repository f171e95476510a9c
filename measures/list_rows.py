"""Rows of the measures lists written in Python: the approval queue (up to a thousand
values, drawn again after every decision) and an indicator's reported values (fifty a
page); their template loops cost more than the rest of their pages. The HTML is the one
the templates' loops wrote, character for character (`tests/measures/test_list_rows.py`
compares them, in English and French)."""

from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext

from backbone.links import row_url
from backbone.templatetags.backbone import number

from .models import DataPoint


def _flags(point) -> str:
    if not point.flags:
        return '<span class="muted">—</span>'
    return "".join(
        f'<span class="badge badge--flag badge--flag-{conditional_escape(flag.key)}">'
        f"{conditional_escape(flag.label)}</span> "
        for flag in point.flags
    )


def approval_rows(organization, queue) -> SafeString:
    """The `<tr>`s of the queue's table (values flagged by `flags.flag_points`)."""
    data_point_url = row_url(organization, "measures:data_point", "data_point_id")
    label = gettext("%(name)s, %(period)s, %(partner)s")
    parts = []
    for point in queue:
        pk = int(point.pk)
        name = conditional_escape(point.indicator.name)
        period = conditional_escape(point.period)
        partner = conditional_escape(point.partner.name)
        aria = label % {"name": name, "period": period, "partner": partner}
        flagged = ' class="approval--flagged"' if point.flags else ""
        parts.append(
            f'\n          <tr{flagged}><td><input type="checkbox" name="points" value="{pk}"'
            f' id="point-{pk}" aria-label="{aria}"></td>'
            f'\n            <td><a href="{conditional_escape(data_point_url.of(pk))}">{name}</a><br>'
            f'<span class="muted">{conditional_escape(point.indicator.initiative.name)}</span></td>'
            f"\n            <td>{period}</td><td>{partner}</td>"
            f"<td>{conditional_escape(point.cell or '—')}</td>"
            f'\n            <td class="num">{conditional_escape(point.display_value)}</td>'
            f'\n            <td class="num">{conditional_escape(point.display_previous)}</td>'
            f'\n            <td class="num">{conditional_escape(point.display_change)}</td>'
            f"\n            <td>{_flags(point)}</td>"
            f"\n            <td>{conditional_escape(point.comment)}</td></tr>\n        "
        )
    return mark_safe("".join(parts))  # noqa: S308 -- every value above is escaped


def reported_rows(data_point_url, points, *, versioned: bool) -> SafeString:
    """The `<tr>`s of an indicator's reported values (`points` with their partners; with
    `versioned`, each with the `definition` its period is read under)."""
    statuses = {value: str(label) for value, label in DataPoint.Status.choices}
    version = gettext("version %(number)s")
    parts = []
    for point in points:
        status = conditional_escape(point.status)
        shown = conditional_escape(statuses.get(point.status, point.status))
        cells = (
            f"<td>{version % {'number': conditional_escape(point.definition.number)}}</td>"
            if versioned
            else ""
        )
        parts.append(
            f'\n          <tr><td><a href="{conditional_escape(data_point_url.of(point.pk))}">'
            f"{conditional_escape(point.period)}</a></td>"
            f"<td>{conditional_escape(point.partner.name)}</td>"
            f"<td>{conditional_escape(point.cell or '—')}</td>"
            f'\n            <td class="num">{conditional_escape(number(point.value))}</td>'
            f'<td><span class="badge badge--{status}">{shown}</span></td>{cells}</tr>\n        '
        )
    return mark_safe("".join(parts))  # noqa: S308 -- every value above is escaped
