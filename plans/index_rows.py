"""The plans list's rows, written in Python rather than by the template: 50 rows of four
`{% url %}`s, translations and dates cost more than the rest of the page. The HTML is
the one the template's row wrote, character for character
(`tests/plans/test_plan_index_rows.py`)."""

from collections.abc import Iterable

from django.utils.formats import date_format
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from backbone.links import row_url
from backbone.models import Organization


def _translated(text: str) -> SafeString:
    """A translation as `{% translate %}` and `{% blocktranslate %}` write it: the
    translators' text as it is (the tags escape only variables, here numbers)."""
    return mark_safe(text)  # noqa: S308 - our own catalogue, trusted as the template tag does


def plan_rows(
    rows: Iterable[dict], organization: Organization, *, may_start: bool, csrf_token: str
) -> list[SafeString]:
    """One `<tr>` per row of `plans.views.plan.index` (initiative, versions, adopted,
    current, report cards); `may_start`: the member may start a plan (plans.edit)."""
    version_url = row_url(organization, "plans:version_detail", "version_id")
    cards_url = row_url(organization, "plans:report_card_list", "initiative_id")
    start_url = row_url(organization, "plans:plan_start", "initiative_id")
    none_yet = format_html('<span class="muted">{}</span>', _translated(_("None yet")))
    no_draft = format_html('<span class="muted">{}</span>', "—")
    start_label = _translated(_("Start the plan"))

    def start_form(initiative_id: int) -> SafeString:
        return format_html(
            '\n      <form method="post" action="{}">'
            '<input type="hidden" name="csrfmiddlewaretoken" value="{}">'
            '\n        <button type="submit" class="button button--small">{}</button>'
            "\n      </form>\n    ",
            start_url.of(initiative_id),
            csrf_token,
            start_label,
        )

    html = []
    for row in rows:
        initiative, current, adopted = row["initiative"], row["current"], row["adopted"]
        if current:
            name = format_html('<a href="{}">{}</a>', version_url.of(current.pk), initiative.name)
        else:
            name = format_html("{}", initiative.name)
        if adopted:
            adopted_html = format_html(
                '<a href="{}">{}</a>\n      <br><span class="muted">{} · {}</span>\n    ',
                version_url.of(adopted.pk),
                _translated(_("Version %(number)s") % {"number": adopted.number}),
                date_format(adopted.adopted_on, "DATE_FORMAT") if adopted.adopted_on else "",
                adopted.adopted_by_body,
            )
        else:
            adopted_html = none_yet
        drafts = format_html_join(
            "",
            '<a href="{}">{}</a>',
            (
                (
                    version_url.of(v.pk),
                    _translated(_("Draft version %(number)s") % {"number": v.number}),
                )
                for v in row["versions"]
                if not v.is_adopted
            ),
        )
        count = row["report_cards"]
        cards = ngettext("%(n)s issued report card", "%(n)s issued report cards", count) % {
            "n": count
        }
        html.append(
            format_html(
                '\n<tr>\n  <th scope="row">{}\n    <br><span class="muted">{}</span></th>\n'
                "  <td>{}</td>\n  <td>{}</td>\n"
                '  <td><a href="{}">{}</a></td>\n  <td class="actions">\n    {}\n  </td>\n</tr>\n',
                name,
                initiative.issue,
                adopted_html,
                drafts if row["versions"] else no_draft,
                cards_url.of(initiative.pk),
                _translated(cards),
                start_form(initiative.pk) if may_start and not row["versions"] else "",
            )
        )
    return html
