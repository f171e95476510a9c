"""The approval queue's rows written in Python (measures.list_rows) are the HTML its
template loop wrote, character for character: in English and French, flagged or not,
with a breakdown cell or not, every name and comment escaped."""

from decimal import Decimal

import pytest
from django.template import engines
from django.utils import translation
from django_scopes import scope

from measures import selectors
from measures.flags import flag_points
from measures.list_rows import approval_rows

from ..stakeholders.factories import PartnerFactory
from .factories import DataPointFactory

# The loop of measures/approvals.html before its rows were written in Python.
LOOP = (
    "{% load i18n %}"
    "{% for point in queue %}\n"
    '          <tr{% if point.flags %} class="approval--flagged"{% endif %}><td><input type="checkbox" name="points" value="{{ point.pk }}" id="point-{{ point.pk }}" aria-label="{% blocktranslate with name=point.indicator.name period=point.period partner=point.partner.name %}{{ name }}, {{ period }}, {{ partner }}{% endblocktranslate %}"></td>\n'
    '            <td><a href="{% url \'measures:data_point\' org_slug=organization.slug data_point_id=point.pk %}">{{ point.indicator.name }}</a><br><span class="muted">{{ point.indicator.initiative.name }}</span></td>\n'
    '            <td>{{ point.period }}</td><td>{{ point.partner.name }}</td><td>{{ point.cell|default:"—" }}</td>\n'
    '            <td class="num">{{ point.display_value }}</td>\n'
    '            <td class="num">{{ point.display_previous }}</td>\n'
    '            <td class="num">{{ point.display_change }}</td>\n'
    '            <td>{% for flag in point.flags %}<span class="badge badge--flag badge--flag-{{ flag.key }}">{{ flag.label }}</span> {% empty %}<span class="muted">—</span>{% endfor %}</td>\n'
    "            <td>{{ point.comment }}</td></tr>\n"
    "        {% endfor %}"
)


@pytest.mark.parametrize("language", ["en", "fr"])
def test_the_rows_are_what_the_template_wrote(world, measures, language):
    odd = PartnerFactory(organization=world.org, name="Harbour & <script>alert(1)</script>")
    DataPointFactory(
        indicator=measures.indicator, partner=measures.food_bank, period="2026-Q1",
        value=1000, status="approved",
    )  # fmt: skip
    DataPointFactory(  # a jump: flagged
        indicator=measures.indicator, partner=measures.food_bank, period="2026-Q2",
        value=999999, comment="Counted twice & <b>late</b>",
    )  # fmt: skip
    DataPointFactory(indicator=measures.indicator, partner=odd, period="2026-Q2", value=40)
    DataPointFactory(
        indicator=measures.indicator, partner=odd, period="2026-Q2", value=Decimal("12.5"),
        cell="Age: 0–5 & <6>",
    )  # fmt: skip
    template = engines["django"].from_string(LOOP)
    with scope(organization=world.org), translation.override(language):
        queue = flag_points(selectors.approval_queue(world.org.pk))
        assert any(p.flags for p in queue) and any(not p.flags for p in queue)
        theirs = template.render({"queue": queue, "organization": world.org})
        ours = approval_rows(world.org, queue)
    assert ours == theirs
    assert "&lt;script&gt;" in ours and "&lt;b&gt;late" in ours and "<script>" not in ours


def test_an_empty_queue_writes_no_row(world):
    assert approval_rows(world.org, []) == ""
