"""Every app's object makers for the URL walk (`tests/<app>/isolation.py`), in one table.

Used by `tests/test_isolation.py` and by `manage.py bench_pages`.
"""

import importlib
from collections.abc import Callable

from backbone.models import Organization

APPS = ["backbone", "stakeholders", "initiatives", "measures", "plans"]


def collect_makers() -> dict[str, Callable[[Organization], object]]:
    """kwarg name → makes an object of the given organization and returns the kwarg's value."""
    makers: dict[str, Callable[[Organization], object]] = {}
    for app in APPS:
        try:
            module = importlib.import_module(f"tests.{app}.isolation")
        except ModuleNotFoundError as exc:
            if exc.name != f"tests.{app}.isolation":
                raise
            continue
        clash = set(makers) & set(module.OBJECT_MAKERS)
        assert not clash, f"kwarg names made by two apps: {clash}"
        makers.update(module.OBJECT_MAKERS)
    return makers


OBJECT_MAKERS = collect_makers()
