"""The agreements registry is kept as HTML per role and query string behind the measures
stamp (measures.panel_cache): a second view reads no measure, and every write it shows — a
new or ended agreement, its parties, a renamed partner — is on the next view. A partner
user's list is never kept; a long query string is never kept."""

import datetime

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django_scopes import scope, scopes_disabled

from measures import agreements

from .factories import AgreementFactory
from .test_dashboard_cache import TOKEN, measure_queries

BASE = "/o/riverside/measures/agreements/"


def test_a_second_view_reads_no_measure_and_links_each_row(world, login, measures):
    agreement = AgreementFactory(initiative=measures.initiative, parties=[measures.food_bank])
    client = login(world.coordinator)
    first = client.get(BASE).content.decode()
    with CaptureQueriesContext(connection) as queries:
        second = client.get(BASE).content.decode()
    assert measure_queries(queries) == []
    assert TOKEN.sub("", first) == TOKEN.sub("", second)
    detail = reverse(
        "measures:agreement_detail",
        kwargs={"org_slug": world.org.slug, "agreement_id": agreement.pk},
    )
    assert f'<th scope="row"><a href="{detail}">{agreement.title}</a></th>' in second
    assert "Riverside Food Bank" in second


def test_agreements_parties_and_partners_show_at_once(world, login, measures):
    client = login(world.coordinator)
    assert "0 agreements" in client.get(BASE).content.decode()
    agreement = AgreementFactory(initiative=measures.initiative, title="Sharing pact")
    assert "Sharing pact" in client.get(BASE).content.decode()
    with scopes_disabled():
        agreement.parties.add(measures.other)  # m2m_changed, no save
    assert "City of Riverside Social Services" in client.get(BASE).content.decode()
    with scopes_disabled():
        measures.other.name = "Harbour & <Co>"
        measures.other.save()
    assert "Harbour &amp; &lt;Co&gt;" in client.get(BASE).content.decode()
    with scope(organization=world.org):
        agreements.agreement_end(
            agreement=agreement, by=world.admin, reason="Done.", today=datetime.date(2027, 1, 1)
        )
    assert "badge--ended" in client.get(BASE).content.decode()


def test_filters_pages_and_htmx_results_are_kept_apart(world, login, measures):
    AgreementFactory(initiative=measures.initiative, title="Sharing pact")
    AgreementFactory(initiative=measures.initiative, title="Roundtable terms", kind="terms")
    client = login(world.admin)
    client.get(BASE)
    terms = client.get(BASE, {"kind": "terms"}).content.decode()
    assert "Roundtable terms" in terms and "Sharing pact" not in terms
    results = client.get(BASE, {"kind": "terms"}, HTTP_HX_REQUEST="true").content.decode()
    assert results.startswith('\n<div id="agreement-results"')
    assert "<html" not in results and "Roundtable terms" in results
    assert "<html" in client.get(BASE, {"kind": "terms"}).content.decode()
    long_query = {"kind": "terms", "junk": "x" * 300}
    with CaptureQueriesContext(connection) as queries:
        client.get(BASE, long_query)
        client.get(BASE, long_query)
    assert len(measure_queries(queries)) >= 2  # drawn both times


def test_a_partner_users_list_is_never_kept(world, login, measures):
    AgreementFactory(initiative=measures.initiative, title="Ours", parties=[measures.food_bank])
    AgreementFactory(initiative=measures.initiative, title="Theirs", parties=[measures.other])
    assert "Theirs" in login(world.admin).get(BASE).content.decode()
    page = login(world.partner).get(BASE).content.decode()
    assert "Ours" in page and "Theirs" not in page
