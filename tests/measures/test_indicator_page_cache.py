"""An indicator's page is kept as HTML per organization measures stamp
(measures.panel_cache): a second view reads no measure, the forms carry the member's own
token, and every write the page shows — a story, a value, a data request, a renamed
partner, an agreement and the indicators it covers — is on the next view. A partner user's
page is never kept."""

import re
from decimal import Decimal

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django_scopes import scopes_disabled

from measures import services
from measures.models import DataPoint
from measures.panel_cache import STAND_IN

from .factories import AgreementFactory, DataPointFactory, DataRequestFactory
from .test_dashboard_cache import measure_queries

Status = DataPoint.Status
CSRF = re.compile(r'(?<=csrfmiddlewaretoken" value=")[^"]+')
TOKENS = re.compile(r'(?<=csrfmiddlewaretoken" value=")[^"]+|(?<=X-CSRFToken": ")[^"]+')


def page(world, measures) -> str:
    return reverse(
        "measures:indicator_detail",
        kwargs={"org_slug": world.org.slug, "indicator_id": measures.indicator.pk},
    )


def test_a_second_view_reads_one_measure_and_shows_the_same(world, measures, login):
    client = login(world.admin)
    first = client.get(page(world, measures)).content.decode()
    with CaptureQueriesContext(connection) as queries:
        second = client.get(page(world, measures)).content.decode()
    # The indicator itself (the 404 check and the title); the rest is kept.
    assert len(measure_queries(queries)) == 1
    assert len(queries) <= 4
    assert TOKENS.sub("", first) == TOKENS.sub("", second)
    assert "Riverside Food Bank" in second


def test_the_forms_carry_the_members_own_token(world, measures, login):
    admin, coordinator = login(world.admin), login(world.coordinator)
    admin.get(page(world, measures))
    html = coordinator.get(page(world, measures)).content.decode()
    assert STAND_IN not in html
    tokens = set(CSRF.findall(html))
    assert tokens and "" not in tokens
    # The token works: a form posted with it is accepted (CSRF checks on).
    coordinator.handler.enforce_csrf_checks = True
    response = coordinator.post(
        reverse(
            "measures:indicator_story",
            kwargs={"org_slug": world.org.slug, "indicator_id": measures.indicator.pk},
        ),
        {"csrfmiddlewaretoken": tokens.pop(), "period": "2027-Q1", "text": "Longer lines."},
    )
    assert response.status_code == 302


def test_stories_values_and_requests_show_at_once(world, measures, login):
    client = login(world.admin)
    url = page(world, measures)
    client.get(url)
    with scopes_disabled():
        services.curve_story_save(
            indicator=measures.indicator, period="2027-Q1", text="Lines got longer.", user=None
        )
    assert "Lines got longer." in client.get(url).content.decode()

    point = DataPointFactory(
        indicator=measures.indicator, partner=measures.food_bank, value=Decimal("4321")
    )
    assert "4,321" in client.get(url).content.decode()
    with scopes_disabled():
        services.data_points_approve(organization=world.org, ids=[point.pk], user=world.admin)
    assert 'badge--approved">' in client.get(url).content.decode()  # a bulk update

    newcomer = DataRequestFactory(indicator=measures.indicator).partner
    assert newcomer.name in client.get(url).content.decode()


def test_a_renamed_partner_and_agreements_show_at_once(world, measures, login):
    client = login(world.admin)
    url = page(world, measures)
    assert "No agreement covers this indicator." in client.get(url).content.decode()
    with scopes_disabled():
        measures.other.name = "Harbour & <Co>"
        measures.other.save()
    assert "Harbour &amp; &lt;Co&gt;" in client.get(url).content.decode()

    agreement = AgreementFactory(initiative=measures.initiative, title="Sharing pact")
    assert "Sharing pact" not in client.get(url).content.decode()
    with scopes_disabled():
        agreement.indicators.add(measures.indicator)  # m2m_changed, no save
    assert "Sharing pact" in client.get(url).content.decode()
    assert "No data-sharing agreement in force" in client.get(url).content.decode()
    with scopes_disabled():
        agreement.parties.add(measures.food_bank, measures.other)
    assert "No data-sharing agreement in force" not in client.get(url).content.decode()


def test_each_language_and_role_is_kept_apart(world, measures, login):
    admin, roundtable = login(world.admin), login(world.roundtable)
    url = page(world, measures)
    assert "Who reports it" in admin.get(url).content.decode()
    assert "Who reports it" not in roundtable.get(url).content.decode()
    world.org.language = "fr"
    world.org.save()
    french = admin.get(url).content.decode()
    assert 'lang="fr"' in french
    assert "Who reports it" not in french


def test_a_partner_users_page_is_never_kept(world, measures, login):
    partner, admin = login(world.partner), login(world.admin)
    DataPointFactory(indicator=measures.indicator, partner=measures.other, value=Decimal("777"))
    assert "777" in admin.get(page(world, measures)).content.decode()
    assert "777" not in partner.get(page(world, measures)).content.decode()
    mine = DataPointFactory(
        indicator=measures.indicator, partner=measures.food_bank, value=Decimal("555")
    )
    assert "555" in partner.get(page(world, measures)).content.decode()
    with CaptureQueriesContext(connection) as queries:
        partner.get(page(world, measures))
    assert len(measure_queries(queries)) > 1
    assert mine.pk


def test_a_page_of_reported_values_comes_alone_to_htmx_and_is_kept_apart(world, measures, login):
    client = login(world.admin)
    for n in range(55):  # two pages of reported values
        DataPointFactory(
            indicator=measures.indicator, partner=measures.food_bank, period=f"{1950 + n}-Q1"
        )
    url = page(world, measures)
    assert "<html" in client.get(url).content.decode()
    second = client.get(url, {"page": "2"}, HTTP_HX_REQUEST="true").content.decode()
    assert second.lstrip().startswith('<section class="card table-wrap" id="reported-values">')
    assert "<html" not in second and "1950-Q1" in second and "2004-Q1" not in second
    first = client.get(url, HTTP_HX_REQUEST="true").content.decode()
    assert "2004-Q1" in first and "1950-Q1" not in first
    assert "1950-Q1" in client.get(url, {"page": "2"}).content.decode()
