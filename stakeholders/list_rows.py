"""The contacts list's rows, written in Python rather than by the template: 50 rows of
template tags (a link, a badge, the tags, the consent) cost more than the rest of the
page. The HTML is the one the template loop wrote (`tests/stakeholders/test_list_rows.py`)."""

from collections.abc import Iterable

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from backbone.links import RowUrl

from .models import ConsentStatus, Contact, Sector


def contact_rows(contacts: Iterable[Contact], contact_url: RowUrl) -> list[SafeString]:
    """One `<tr>` per contact (its partner and tags fetched with it)."""
    # Each label translated once: `get_sector_display` translates every choice per row.
    sectors, consents = dict(Sector.choices), dict(ConsentStatus.choices)
    lived = format_html(' <span class="badge badge--lived">{}</span>', _("Lived experience"))
    no_partner = format_html('<span class="muted">{}</span>', "—")
    no_email = format_html('<span class="muted">{}</span>', _("no e-mail"))
    rows = []
    for contact in contacts:
        if contact.email:
            email = format_html(
                '{} <span class="badge badge--consent-{}">{}</span>',
                contact.email,
                contact.consent,
                consents.get(contact.consent, contact.consent),
            )
        else:
            email = no_email
        rows.append(
            format_html(
                '<tr>\n<th scope="row"><a href="{}">{}</a>{}</th>\n<td>{}</td>\n<td>{}</td>\n'
                "<td>{}</td>\n<td>{}</td>\n</tr>",
                contact_url.of(contact.pk),
                contact.full_name,
                lived if contact.lived_experience else "",
                contact.partner.name if contact.partner else no_partner,
                sectors.get(contact.sector, contact.sector),
                format_html_join(
                    "", '<span class="tag">{}</span> ', ((tag.name,) for tag in contact.tags.all())
                ),
                email,
            )
        )
    return rows
