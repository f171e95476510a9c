"""The staff's partner chooser on the entry page writes its options in Python
(measures.views.entry.partner_options): the HTML the template's loop wrote, character for
character, in English and French, escaped; read only when the chooser shows."""

import pytest
from django.db import connection
from django.template import engines
from django.test.utils import CaptureQueriesContext
from django.utils import translation
from django_scopes import scopes_disabled

from measures.views.entry import partner_options
from stakeholders.models import Partner

from ..stakeholders.factories import PartnerFactory

LOOP = (
    '{% for p in partners %}<option value="{{ p.pk }}"{% if partner and p.pk == partner.pk %}'
    " selected{% endif %}>{{ p.name }}</option>{% endfor %}"
)


@pytest.mark.parametrize("language", ["en", "fr"])
def test_the_options_are_what_the_template_wrote(world, measures, language):
    odd = PartnerFactory(organization=world.org, name="Harbour & <script>alert(1)</script>")
    PartnerFactory(organization=world.other_org, name="Elsewhere")
    template = engines["django"].from_string(LOOP)
    with scopes_disabled(), translation.override(language):
        partners = list(Partner.objects.filter(organization=world.org))
        for chosen in (None, measures.food_bank, odd):
            theirs = template.render({"partners": partners, "partner": chosen})
            assert partner_options(world.org, chosen) == theirs
    assert "&lt;script&gt;" in theirs and "Elsewhere" not in theirs


def test_the_chooser_reads_the_partners_once_and_only_when_shown(world, measures, login):
    client = login(world.coordinator)
    url = f"/o/riverside/measures/initiatives/{measures.initiative.pk}/enter/"
    with CaptureQueriesContext(connection) as queries:
        page = client.get(url).content.decode()
    assert 'name="partner"><option value=' in page
    partner_reads = [q for q in queries if 'FROM "stakeholders_partner"' in q["sql"]]
    assert len(partner_reads) == 1
    full = client.get(url, {"partner": measures.food_bank.pk, "period": "2026-Q1"})
    assert 'id="entry-partner"' not in full.content.decode()
