"""The rows written in Python (measures.list_rows) — the approval queue's, an indicator's
reported values — are the HTML their template loops wrote, character for character: in
English and French, flagged or not, versioned or not, with a breakdown cell or not, every
name and comment escaped."""

import datetime
from decimal import Decimal

import pytest
from django.template import engines
from django.utils import translation
from django_scopes import scope

from backbone.links import row_url
from measures import selectors
from measures.definitions import data_point_definitions, indicator_revise
from measures.flags import flag_points
from measures.list_rows import approval_rows, reported_rows
from measures.models import DataPoint

from ..stakeholders.factories import PartnerFactory
from .factories import DataPointFactory

# The loop of measures/indicator_detail.html before its rows were written in Python.
REPORTED = (
    "{% load i18n backbone %}"
    "{% for point in points %}\n"
    '          <tr><td><a href="{{ data_point_url|with_id:point.pk }}">{{ point.period }}</a></td><td>{{ point.partner.name }}</td><td>{{ point.cell|default:"—" }}</td>\n'
    '            <td class="num">{{ point.value|number }}</td><td><span class="badge badge--{{ point.status }}">{{ point.get_status_display }}</span></td>{% if definitions|length > 1 %}<td>{% blocktranslate with number=point.definition.number %}version {{ number }}{% endblocktranslate %}</td>{% endif %}</tr>\n'
    '        {% empty %}<tr><td colspan="{% if definitions|length > 1 %}6{% else %}5{% endif %}" class="muted">{% translate "Nothing reported yet." %}</td></tr>{% endfor %}'
)

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


@pytest.mark.parametrize("language", ["en", "fr"])
def test_the_reported_values_are_what_the_template_wrote(world, measures, language):
    odd = PartnerFactory(organization=world.org, name="Harbour & <script>alert(1)</script>")
    for period, status in (("2026-Q1", "approved"), ("2026-Q2", "returned"), ("2027-Q1", "draft")):
        DataPointFactory(
            indicator=measures.indicator, partner=odd, period=period, status=status,
            value=Decimal("12345.5"), cell="Age: 0–5 & <6>" if status == "draft" else "",
        )  # fmt: skip
    template = engines["django"].from_string(REPORTED)
    url = row_url(world.org, "measures:data_point", "data_point_id")
    with scope(organization=world.org), translation.override(language):
        indicator_revise(
            indicator=measures.indicator, name="Households fed", definition="Counted.",
            by=world.admin, applies_from=datetime.date(2027, 1, 1),
        )  # fmt: skip
        points = list(
            DataPoint.objects.filter(indicator=measures.indicator).select_related("partner")
        )
        definitions = data_point_definitions(measures.indicator, points)
        assert len(definitions) == 2
        for versioned in (True, False):
            context = {"points": points, "data_point_url": url}
            context["definitions"] = definitions if versioned else definitions[:1]
            theirs = template.render(context)
            assert reported_rows(url, points, versioned=versioned) == theirs
    assert "&lt;script&gt;" in theirs and "<script>" not in theirs
