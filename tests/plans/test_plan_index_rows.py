"""The plans list's rows are written in Python (`plans.index_rows`): the HTML the
template's row wrote, character for character, in both languages, escaped."""

import datetime

import pytest
from django.template import Context, Template
from django.utils import translation
from django_scopes import scope

from plans.index_rows import plan_rows
from plans.selectors.plan import current_version, plan_versions
from plans.services import plan as services

from ..initiatives.factories import InitiativeFactory
from .factories import ReportCardFactory, adopt, draft_of, started_plan

pytestmark = pytest.mark.django_db

# The template's row as it was before the rows moved to Python.
ROW = Template(
    """{% load i18n %}{% for row in rows %}
<tr>
  <th scope="row">{% if row.current %}<a href="{% url 'plans:version_detail' org_slug=organization.slug version_id=row.current.pk %}">{{ row.initiative.name }}</a>{% else %}{{ row.initiative.name }}{% endif %}
    <br><span class="muted">{{ row.initiative.issue }}</span></th>
  <td>{% if row.adopted %}<a href="{% url 'plans:version_detail' org_slug=organization.slug version_id=row.adopted.pk %}">{% blocktranslate with number=row.adopted.number %}Version {{ number }}{% endblocktranslate %}</a>
      <br><span class="muted">{{ row.adopted.adopted_on|date:"DATE_FORMAT" }} · {{ row.adopted.adopted_by_body }}</span>
    {% else %}<span class="muted">{% translate "None yet" %}</span>{% endif %}</td>
  <td>{% for v in row.versions %}{% if not v.is_adopted %}<a href="{% url 'plans:version_detail' org_slug=organization.slug version_id=v.pk %}">{% blocktranslate with number=v.number %}Draft version {{ number }}{% endblocktranslate %}</a>{% endif %}{% empty %}<span class="muted">—</span>{% endfor %}</td>
  <td><a href="{% url 'plans:report_card_list' org_slug=organization.slug initiative_id=row.initiative.pk %}">{% blocktranslate count n=row.report_cards %}{{ n }} issued report card{% plural %}{{ n }} issued report cards{% endblocktranslate %}</a></td>
  <td class="actions">
    {% if not row.versions and membership|can:"plans.edit" %}
      <form method="post" action="{% url 'plans:plan_start' org_slug=organization.slug initiative_id=row.initiative.pk %}">{% csrf_token %}
        <button type="submit" class="button button--small">{% translate "Start the plan" %}</button>
      </form>
    {% endif %}
  </td>
</tr>
{% endfor %}"""
)


def rows_of(world, initiatives, membership):
    rows = []
    for initiative in initiatives:
        versions = plan_versions(initiative, membership)
        rows.append(
            {
                "initiative": initiative,
                "report_cards": 2 if initiative.name.startswith("Food") else 1,
                "versions": versions,
                "current": current_version(versions),
                "adopted": next((v for v in versions if v.is_adopted), None),
            }
        )
    return rows


@pytest.mark.parametrize("language", ["en", "fr"])
@pytest.mark.parametrize("role", ["coordinator", "roundtable"])
def test_the_rows_are_what_the_template_wrote(world, language, role):
    adopted = InitiativeFactory(
        organization=world.org, name="Food <script>alert(1)</script> & co", issue="Hunger & <b>"
    )
    version = draft_of(started_plan(adopted))
    with scope(organization=world.org):
        services.section_update(version=version, key="executive_summary", body="Words.")
    adopt(version, world.coordinator, datetime.date(2027, 2, 1))
    with scope(organization=world.org):
        services.draft_start(plan=version.plan)
    drafted = InitiativeFactory(organization=world.org, name="Early years")
    started_plan(drafted)
    unplanned = InitiativeFactory(organization=world.org, name="Housing <first>")
    ReportCardFactory(initiative=unplanned)
    membership = world.membership(getattr(world, role))
    with scope(organization=world.org), translation.override(language):
        rows = rows_of(world, [adopted, drafted, unplanned], membership)
        expected = ROW.render(
            Context(
                {
                    "rows": rows,
                    "organization": world.org,
                    "membership": membership,
                    "csrf_token": "TOKEN",
                }
            )
        )
        written = "".join(
            plan_rows(
                rows,
                world.org,
                may_start=membership.role == "coordinator",
                csrf_token="TOKEN",
            )
        )
    assert written == expected
    assert "Food &lt;script&gt;alert(1)&lt;/script&gt; &amp; co" in written
    assert "Hunger &amp; &lt;b&gt;" in written
    assert ("csrfmiddlewaretoken" in written) == (role == "coordinator")
