"""Every list page runs as many queries on a bigger organization as on a small one
(`manage.py bench_pages --check-flat` walks every page the same way, in CI)."""

import pytest
from django.test import Client
from django_scopes import scopes_disabled

from backbone.models import Membership, Role
from plans.bench import measure_page, page_urls
from plans.scale import Size, seed_scale

from ..isolation import OBJECT_MAKERS

LIST_PAGES = [
    "stakeholders:index",
    "stakeholders:partner_list",
    "stakeholders:tag_list",
    "stakeholders:capacity_table",
    "initiatives:index",
    "initiatives:detail",
    "initiatives:actions_due",
    "initiatives:people",
    "initiatives:events",
    "initiatives:actions",
    "initiatives:risks",
    "initiatives:governance",
    "initiatives:system_map",
    "measures:index",
    "measures:dashboard",
    "plans:index",
    "newsletters:index",
    "newsletters:detail",
    "organization_settings",
    "initiatives:event",
    "initiatives:overview",
    "initiatives:stories",
    "initiatives:story_edit",
    "measures:indicator_detail",
    "measures:agreements",
    "measures:agreement_create",
    "measures:agreement_edit",
    "organization_home",
]


def _query_counts(factor: float) -> dict[str, tuple[int, int]]:
    org, _ = seed_scale(factor)
    with scopes_disabled():
        admin = Membership.objects.get(organization=org, role=Role.ADMIN).user
    client = Client()
    client.force_login(admin)
    counts = {}
    for name, url in page_urls(org, OBJECT_MAKERS, only=LIST_PAGES).items():
        status, _ms, queries, _size, _html = measure_page(client, url, repeat=1)
        counts[name] = (status, queries)
    return counts


@pytest.mark.django_db
def test_every_list_page_runs_as_many_queries_at_two_sizes():
    assert Size(0.3).contacts > 2 * Size(0.05).contacts  # the sizes really differ
    small, bigger = _query_counts(0.05), _query_counts(0.3)
    assert set(small) == set(LIST_PAGES)
    assert {name: status for name, (status, _) in small.items()} == dict.fromkeys(LIST_PAGES, 200)
    assert {name: status for name, (status, _) in bigger.items()} == dict.fromkeys(LIST_PAGES, 200)
    assert {name: q for name, (_, q) in bigger.items()} == {
        name: q for name, (_, q) in small.items()
    }
