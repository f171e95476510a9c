"""The capacity table's rows are written in Python (`capacity_rows`): the same HTML, but
for whitespace, as the template loop they replace, answered or not, in both languages."""

import re

import pytest
from django.template import Context, Template
from django.utils import translation
from django_scopes import scope

from backbone.links import row_url
from stakeholders.capacity_views import capacity_rows
from stakeholders.models import CAPACITY_DIMENSIONS, Partner
from stakeholders.selectors import capacity_table

from .factories import CapacityAssessmentFactory, PartnerFactory

# The template loop as it was before the rows moved to Python.
LOOP = Template(
    """{% load i18n %}{% for partner in partners %}{% with assessment=partner.capacity.0 %}
<tr><th scope="row"><a href="{% url 'stakeholders:partner_detail' org_slug=slug partner_id=partner.pk %}">{{ partner.name }}</a></th>
{% if assessment %}{% for answer in assessment.answers %}
<td class="num{% if answer.needs_help %} capacity--help{% endif %}" data-label="{{ answer.label }}">{{ answer.score }}{% if answer.needs_help %} <span class="visually-hidden">({% translate "needs help" %})</span>{% endif %}</td>
{% endfor %}<td>{{ assessment.answered_at|date:"SHORT_DATE_FORMAT" }}{% if assessment.on_behalf %} <span class="muted">· {% translate "by staff" %}</span>{% endif %}</td>
{% else %}{% for name, label in dimensions %}<td class="num muted" data-label="{{ label }}">–</td>{% endfor %}
<td class="muted">{% translate "Not answered" %}</td>{% endif %}</tr>{% endwith %}{% endfor %}"""
)


def squeeze(html: str) -> str:
    # The template's {% translate %} leaves an apostrophe as it is; Python escapes it.
    return re.sub(r">\s+<", "><", html.strip()).replace("&#x27;", "'")


@pytest.mark.parametrize("language", ["en", "fr"])
def test_the_rows_are_what_the_template_wrote(world, language):
    weak = PartnerFactory(organization=world.org, name="Small <church> & co")
    CapacityAssessmentFactory(
        organization=world.org, partner=weak, year=2026, technology=1, staff_time=2
    )
    strong = PartnerFactory(organization=world.org, name="Public health")
    CapacityAssessmentFactory(
        organization=world.org, partner=strong, year=2026, technology=4, on_behalf=True
    )
    PartnerFactory(organization=world.org, name="Silent partner")
    with scope(organization=world.org), translation.override(language):
        partners = list(
            capacity_table(Partner.objects.filter(organization=world.org), year=2026, needs_help="")
        )
        assert len(partners) == 3
        expected = LOOP.render(
            Context(
                {
                    "partners": partners,
                    "slug": world.org.slug,
                    "dimensions": [(name, label) for name, label, _q in CAPACITY_DIMENSIONS],
                }
            )
        )
        url = row_url(world.org, "stakeholders:partner_detail", "partner_id")
        written = "".join(capacity_rows(partners, url))
    assert squeeze(written) == squeeze(expected)
    assert "capacity--help" in written and "Small &lt;church&gt; &amp; co" in written
