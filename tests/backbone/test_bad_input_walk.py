"""Every organization page, fed hostile values in every parameter it asks for, answers
400 or a form error — never a 500 (issue 11, item 5).

The walk reuses the isolation walk's URL discovery and object makers: for each page,
it reads the names of the fields of its forms (and its filters' query parameters),
then sends each hostile value in all of them, as a query string and as a form post.
"""

import re

import pytest
from django.test import Client

from ..test_isolation import URLS, fill

HOSTILE = ["abc", "1.5", "99999999999999999999", "\u00b2", "1\x00"]
FIELD_NAME = re.compile(r"<(?:input|select|textarea|button)\b[^>]*\bname=\"([^\"]+)\"")
KEEP = {"csrfmiddlewaretoken"}


def field_names(html: str) -> set[str]:
    return {name for name in FIELD_NAME.findall(html) if name not in KEEP}


def answers(client: Client, method: str, url: str, data: dict) -> int:
    try:
        return getattr(client, method)(url, data).status_code
    except Exception as exc:  # noqa: BLE001 — a crash is what this test looks for
        return f"{type(exc).__name__}: {exc}"[:200]


@pytest.mark.parametrize(("name", "kwargs"), URLS, ids=[n for n, _ in URLS])
def test_hostile_values_in_every_parameter_never_give_a_500(world, login, name, kwargs):
    url = fill(name, kwargs, slug_of=world.org, objects_of=world.org)
    client = login(world.admin)
    client.raise_request_exception = True
    page = client.get(url)
    html = page.status_code == 200 and not page.streaming  # a download has no form
    names = field_names(page.content.decode(errors="replace")) if html else set()
    names |= {"page", "partner", "period", "initiative", "q", "status", "id"}
    crashes = {}
    for value in HOSTILE:
        data = dict.fromkeys(sorted(names), value)
        for method in ("get", "post"):
            status = answers(client, method, url, data)
            if not isinstance(status, int) or status >= 500:
                crashes[(method, value)] = status
    assert not crashes, (url, crashes)
