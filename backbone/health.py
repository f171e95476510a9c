"""Health for load balancers and orchestrators, and the Celery heartbeat.

`/healthz` says the process answers; `/readyz` that it can serve: the database answers,
every migration is applied, Redis (when configured) and the file storage are reachable.
Both are answered by `HealthMiddleware`, first in the chain, so a probe needs no session,
no allowed host name (probes call a pod's IP) and no HTTPS redirect, and reads no tenant.
"""

import datetime as dt
import json
import time

from django.conf import settings
from django.core.cache import cache
from django.core.files.storage import default_storage
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.migrations.executor import MigrationExecutor
from django.http import HttpResponse
from django.utils import timezone

HEARTBEAT_KEY = "backbone:heartbeat"
# Beat sends the heartbeat every 30 s; past this it is reported as not running.
HEARTBEAT_STALE_SECONDS = 120

_migrations_applied = False


def _database() -> None:
    with connections[DEFAULT_DB_ALIAS].cursor() as cursor:
        cursor.execute("SELECT 1")


def _migrations() -> None:
    """Once every migration is applied, no later check can find one missing (a new one
    comes with new code, which starts a new process)."""
    global _migrations_applied
    if _migrations_applied:
        return
    executor = MigrationExecutor(connections[DEFAULT_DB_ALIAS])
    if executor.migration_plan(executor.loader.graph.leaf_nodes()):
        raise RuntimeError("migrations not applied")
    _migrations_applied = True


def _redis() -> None:
    cache.set("backbone:readyz", "1", 10)
    if cache.get("backbone:readyz") != "1":
        raise RuntimeError("cache did not keep a value")


def _storage() -> None:
    default_storage.exists("readyz-probe")


def readiness() -> dict[str, str]:
    checks = {"database": _database, "migrations": _migrations, "storage": _storage}
    if settings.REDIS_URL:
        checks["redis"] = _redis
    results = {}
    for name, check in checks.items():
        try:
            check()
        except Exception as exc:  # every failure is an answer here, not an error page
            results[name] = f"error: {type(exc).__name__}: {exc}"[:300]
        else:
            results[name] = "ok"
    return results


def _json(payload: dict, status: int) -> HttpResponse:
    response = HttpResponse(json.dumps(payload), content_type="application/json", status=status)
    response["Cache-Control"] = "no-store"
    return response


class HealthMiddleware:
    """Answers /healthz and /readyz before any other middleware runs."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path_info == "/healthz":
            return _json({"status": "ok"}, 200)
        if request.path_info == "/readyz":
            results = readiness()
            ready = all(value == "ok" for value in results.values())
            return _json(
                {"status": "ok" if ready else "unavailable", **results}, 200 if ready else 503
            )
        return self.get_response(request)


def heartbeat_record() -> float:
    """What the beat-scheduled heartbeat task does: note the time it ran, in the shared cache."""
    now = time.time()
    cache.set(HEARTBEAT_KEY, now, None)
    return now


def heartbeat_status(*, workers: int | None) -> dict:
    """For the jobs page: how many workers answered, and how long since beat last ran."""
    last = cache.get(HEARTBEAT_KEY)
    age = None if last is None else max(0, int(time.time() - last))
    return {
        "background": workers is not None,
        "workers": workers,
        "beat_age": age,
        "beat_at": None
        if last is None
        else dt.datetime.fromtimestamp(last, tz=timezone.get_current_timezone()),
        "beat_stale": age is None or age > HEARTBEAT_STALE_SECONDS,
    }
