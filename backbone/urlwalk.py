"""Every URL pattern under /o/<org_slug>/: walked by the isolation test and `bench_pages`."""

import re

from django.urls import URLPattern, URLResolver, get_resolver

ORG_PREFIX = "o/<slug:org_slug>/"


def organization_urls() -> list[tuple[str, list[str]]]:
    """(namespaced URL name, object kwarg names) of every pattern under /o/<org_slug>/."""
    found = []

    def walk(patterns, namespaces, route):
        for pattern in patterns:
            full = route + str(pattern.pattern)
            if isinstance(pattern, URLResolver):
                walk(
                    pattern.url_patterns,
                    namespaces + ([pattern.namespace] if pattern.namespace else []),
                    full,
                )
            elif isinstance(pattern, URLPattern) and full.startswith(ORG_PREFIX):
                assert pattern.name, f"URL {full} needs a name"
                kwargs = [k for k in re.findall(r"<(?:\w+:)?(\w+)>", full) if k != "org_slug"]
                found.append((":".join([*namespaces, pattern.name]), kwargs))

    walk(get_resolver().url_patterns, [], "")
    return found
