"""The contacts list's rows are written in Python (`stakeholders.list_rows`): the same
HTML, but for whitespace, as the template loop they replace, in both languages."""

import re

import pytest
from django.template import Context, Template
from django.utils import translation
from django_scopes import scope

from backbone.links import row_url
from stakeholders.list_rows import contact_rows
from stakeholders.models import ConsentStatus, Contact, Sector

from .factories import ContactFactory, PartnerFactory, TagFactory

# The template loop as it was before the rows moved to Python.
LOOP = Template(
    """{% load i18n backbone %}{% for contact in contacts %}
<tr><th scope="row"><a href="{{ contact_url|with_id:contact.pk }}">{{ contact.full_name }}</a>
{% if contact.lived_experience %}<span class="badge badge--lived">{% translate "Lived experience" %}</span>{% endif %}</th>
<td>{% if contact.partner %}{{ contact.partner.name }}{% else %}<span class="muted">—</span>{% endif %}</td>
<td>{{ contact.get_sector_display }}</td>
<td>{% for tag in contact.tags.all %}<span class="tag">{{ tag.name }}</span> {% endfor %}</td>
<td>{% if contact.email %}{{ contact.email }} <span class="badge badge--consent-{{ contact.consent }}">{{ contact.get_consent_display }}</span>{% else %}<span class="muted">{% translate "no e-mail" %}</span>{% endif %}</td>
</tr>{% endfor %}"""
)


def squeeze(html: str) -> str:
    # The template's {% translate %} leaves an apostrophe as it is; Python escapes it.
    return re.sub(r">\s+<", "><", html.strip()).replace("&#x27;", "'")


@pytest.mark.parametrize("language", ["en", "fr"])
def test_the_rows_are_what_the_template_wrote(world, language):
    partner = PartnerFactory(organization=world.org, name="Food <bank> & co")
    tagged = ContactFactory(
        organization=world.org,
        partner=partner,
        first_name="Ana",
        last_name="O'Brien",
        lived_experience=True,
        sector=Sector.HEALTH,
        consent=ConsentStatus.GIVEN,
    )
    for name in ("youth", "east <end>"):
        tagged.tags.add(TagFactory(organization=world.org, name=name))
    ContactFactory(organization=world.org, email="", sector=Sector.FAITH)
    with scope(organization=world.org), translation.override(language):
        contacts = list(
            Contact.objects.filter(organization=world.org)
            .select_related("partner")
            .prefetch_related("tags")
            .order_by("pk")
        )
        url = row_url(world.org, "stakeholders:contact_detail", "contact_id")
        expected = LOOP.render(Context({"contacts": contacts, "contact_url": url}))
        written = "".join(contact_rows(contacts, url))
    assert squeeze(written) == squeeze(expected)
    assert "Food &lt;bank&gt; &amp; co" in written and "east &lt;end&gt;" in written
    assert "badge--lived" in written and "badge--consent-given" in written
