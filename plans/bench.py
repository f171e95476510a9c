"""The page benchmark behind `manage.py bench_pages`: every GET page of the URL walk
(`backbone.urlwalk`), as each role, in-process through Django's test client.

Object ids come from the organization's own rows where it has them (the flagship
initiative, its first indicator, the first newsletter…), so the pages that grow with
the data are measured on the data; the rest are made by the isolation walk's makers.
"""

import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django_scopes import scopes_disabled

from backbone.models import Membership, Organization
from backbone.urlwalk import organization_urls
from initiatives.models import (
    ActionItem,
    Attendance,
    EngagementEvent,
    Initiative,
    Participation,
    Risk,
)
from measures.models import DataPoint, Indicator
from plans.models import Newsletter
from stakeholders.models import Contact, Partner

# kwarg → the model whose first row (by id) of the organization fills it.
PICKS = {
    "initiative_id": Initiative,
    "contact_id": Contact,
    "partner_id": Partner,
    "newsletter_id": Newsletter,
    "event_id": EngagementEvent,
    "indicator_id": Indicator,
    "data_point_id": DataPoint,
    "participation_id": Participation,
    "action_item_id": ActionItem,
    "risk_id": Risk,
    "attendance_id": Attendance,
}


@dataclass
class Measure:
    name: str
    role: str
    status: int
    ms: float
    queries: int
    size: int
    html: bool = True  # a page; False: a download (CSV, XLSX, PDF), outside the HTML budget


def page_urls(org: Organization, makers: dict[str, Callable], only=None) -> dict[str, str]:
    """URL name → a URL of that page in `org` (object kwargs filled); `only`: these names."""
    urls = {}
    with scopes_disabled():
        for name, kwargs in organization_urls():
            if only is not None and name not in only:
                continue
            values = {}
            for kwarg in kwargs:
                model = PICKS.get(kwarg)
                row = (
                    model.objects.filter(organization=org).order_by("id").first() if model else None
                )
                values[kwarg] = row.pk if row else makers[kwarg](org)
            urls[name] = reverse(name, kwargs={"org_slug": org.slug, **values})
    return urls


def _body_size(response) -> int:
    if response.streaming:
        return sum(len(chunk) for chunk in response.streaming_content)
    return len(response.content)


def measure_page(client: Client, url: str, repeat: int) -> tuple[int, float, int, int, bool]:
    """(status, median ms, queries of the last request, bytes, whether it is HTML rather
    than a download) after one warm-up request."""
    client.get(url)
    times = []
    for _ in range(repeat):
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            response = client.get(url)
            size = _body_size(response)
            times.append((time.perf_counter() - started) * 1000)
    html = response.get("Content-Type", "").startswith("text/html")
    return response.status_code, statistics.median(times), len(queries), size, html


def walk(org: Organization, makers: dict[str, Callable], repeat: int, roles=None) -> list:
    urls = page_urls(org, makers)
    with scopes_disabled():
        memberships = list(
            Membership.objects.filter(organization=org).select_related("user").order_by("id")
        )
    results = []
    for membership in memberships:
        if roles and membership.role not in roles:
            continue
        client = Client()
        client.force_login(membership.user)
        for name, url in urls.items():
            status, ms, queries, size, html = measure_page(client, url, repeat)
            results.append(Measure(name, membership.role, status, ms, queries, size, html))
    return results
