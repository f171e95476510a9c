"""An agreement's page and an indicator's chart are kept behind the measures stamp
(measures.panel_cache, measures.chart_cache): a second view reads only the row itself,
and what they show — the agreement's parties and indicators, a renamed partner, its end,
an approved value, a target — is on the next view."""

import datetime
from decimal import Decimal

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django_scopes import scope, scopes_disabled

from measures import agreements, services
from measures.models import DataPoint

from .factories import AgreementFactory, DataPointFactory, TargetFactory
from .test_dashboard_cache import TOKEN, measure_queries


def detail(world, agreement) -> str:
    return reverse(
        "measures:agreement_detail",
        kwargs={"org_slug": world.org.slug, "agreement_id": agreement.pk},
    )


def chart(world, measures) -> str:
    return reverse(
        "measures:indicator_chart",
        kwargs={"org_slug": world.org.slug, "indicator_id": measures.indicator.pk},
    )


def test_a_second_view_reads_only_the_row(world, measures, login):
    agreement = AgreementFactory(initiative=measures.initiative, parties=[measures.food_bank])
    client = login(world.admin)
    for url in (detail(world, agreement), chart(world, measures)):
        first = client.get(url).content.decode()
        with CaptureQueriesContext(connection) as queries:
            second = client.get(url).content.decode()
        assert len(measure_queries(queries)) == 1, url
        assert TOKEN.sub("", first) == TOKEN.sub("", second)


def test_an_agreements_parties_indicators_and_end_show_at_once(world, measures, login):
    agreement = AgreementFactory(initiative=measures.initiative, title="Sharing pact")
    client = login(world.coordinator)
    url = detail(world, agreement)
    assert "Riverside Food Bank" not in client.get(url).content.decode()
    with scopes_disabled():
        agreement.parties.add(measures.food_bank)
    assert "Riverside Food Bank" in client.get(url).content.decode()
    with scopes_disabled():
        agreement.indicators.add(measures.indicator)
    assert measures.indicator.name in client.get(url).content.decode()
    with scopes_disabled():
        measures.food_bank.name = "Harbour & <Co>"
        measures.food_bank.save()
    assert "Harbour &amp; &lt;Co&gt;" in client.get(url).content.decode()
    with scope(organization=world.org):
        agreements.agreement_end(
            agreement=agreement,
            by=world.admin,
            reason="Done & dusted.",
            today=datetime.date(2027, 1, 1),
        )
    assert "Done &amp; dusted." in client.get(url).content.decode()


def test_approved_values_and_targets_show_on_the_chart_at_once(world, measures, login):
    client = login(world.partner)
    url = chart(world, measures)
    empty = client.get(url).content.decode()
    point = DataPointFactory(
        indicator=measures.indicator, partner=measures.food_bank, value=Decimal("4321")
    )
    assert client.get(url).content.decode() == empty  # only approved values are charted
    with scopes_disabled():
        services.data_points_approve(organization=world.org, ids=[point.pk], user=world.admin)
    drawn = client.get(url).content.decode()
    assert drawn != empty
    TargetFactory(
        indicator=measures.indicator, value=Decimal("9000"), date=datetime.date(2028, 1, 1)
    )
    assert client.get(url).content.decode() != drawn
    with scopes_disabled():
        assert DataPoint.objects.get(pk=point.pk).status == DataPoint.Status.APPROVED


def test_a_values_history_and_decisions_show_at_once(world, measures, login):
    point = DataPointFactory(
        indicator=measures.indicator, partner=measures.food_bank, value=Decimal("12")
    )
    client = login(world.coordinator)
    url = reverse(
        "measures:data_point", kwargs={"org_slug": world.org.slug, "data_point_id": point.pk}
    )
    first = client.get(url).content.decode()
    assert "Reason, if you return it" in first
    with CaptureQueriesContext(connection) as queries:
        assert TOKEN.sub("", client.get(url).content.decode()) == TOKEN.sub("", first)
    assert len(measure_queries(queries)) == 1  # the value itself
    with scopes_disabled():
        services.data_points_return(
            organization=world.org, ids=[point.pk], user=world.admin, reason="Too & <high>"
        )
    page = client.get(url).content.decode()
    assert "Reason, if you return it" not in page
    assert page.count("Too &amp; &lt;high&gt;") == 2  # the alert and the history
