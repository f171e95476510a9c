"""/healthz, /readyz, the heartbeat on the jobs page, and the request log."""

import json
import logging

import pytest
from django.core.cache import cache
from django.db.migrations.executor import MigrationExecutor

from backbone import health, tasks
from backbone.observability import JsonFormatter, RequestIdFilter


def test_healthz_answers_any_host_without_a_session_or_https(client, settings):
    settings.SECURE_SSL_REDIRECT = True
    response = client.get("/healthz", HTTP_HOST="10.1.2.3")
    assert response.status_code == 200 and response.json() == {"status": "ok"}


@pytest.mark.django_db
def test_readyz_checks_the_database_migrations_and_storage(client, monkeypatch):
    monkeypatch.setattr(health, "_migrations_applied", False)
    response = client.get("/readyz", HTTP_HOST="10.1.2.3")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert {body[k] for k in ("database", "migrations", "storage")} == {"ok"}


@pytest.mark.django_db
def test_readyz_is_unavailable_while_a_migration_is_missing(client, monkeypatch):
    monkeypatch.setattr(health, "_migrations_applied", False)
    monkeypatch.setattr(MigrationExecutor, "migration_plan", lambda self, targets: [("x", False)])
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["migrations"].startswith("error: RuntimeError")


@pytest.mark.django_db
def test_readyz_is_unavailable_when_storage_cannot_be_reached(client, monkeypatch):
    def unreachable(name):
        raise OSError("connection refused")

    monkeypatch.setattr(health.default_storage, "exists", unreachable)
    response = client.get("/readyz")
    assert response.status_code == 503 and "connection refused" in response.json()["storage"]


def test_the_jobs_page_shows_workers_and_the_last_beat(world, login, monkeypatch, clock):
    monkeypatch.setattr(tasks, "workers_answering", lambda: 2)
    cache.delete(health.HEARTBEAT_KEY)
    client = login(world.admin)
    page = client.get("/o/riverside/jobs/").content.decode()
    assert "Workers: 2" in page and "has not run yet" in page and "has not run for" in page
    tasks.heartbeat.delay()
    clock.shift(40)
    page = client.get("/o/riverside/jobs/").content.decode()
    assert "last beat 40 s ago" in page and "has not run for" not in page
    clock.shift(200)
    assert "has not run for" in client.get("/o/riverside/jobs/").content.decode()


def test_without_a_broker_the_jobs_page_says_jobs_run_in_process(world, login):
    page = login(world.admin).get("/o/riverside/jobs/").content.decode()
    assert "Jobs run in-process" in page and "Workers:" not in page


def test_each_request_logs_one_line_with_its_id_organization_and_user(world, login, caplog):
    client = login(world.coordinator)
    with caplog.at_level(logging.INFO, logger="backbone.request"):
        response = client.get("/o/riverside/members/", HTTP_X_REQUEST_ID="edge-1234abcd")
    assert response["X-Request-ID"] == "edge-1234abcd"
    (record,) = [r for r in caplog.records if r.name == "backbone.request"]
    assert (record.status, record.organization, record.user_id) == (
        response.status_code,
        "riverside",
        world.coordinator.pk,
    )
    RequestIdFilter().filter(record)
    line = json.loads(JsonFormatter().format(record))
    assert line["path"] == "/o/riverside/members/" and line["duration_ms"] >= 0
    assert line["organization"] == "riverside" and line["user_id"] == world.coordinator.pk


def test_a_made_up_request_id_is_replaced(client):
    response = client.get("/", HTTP_X_REQUEST_ID="<script>")
    assert response["X-Request-ID"] != "<script>" and len(response["X-Request-ID"]) == 32


def test_the_workers_ping_is_kept_briefly_so_the_jobs_page_does_not_wait_each_visit(monkeypatch):
    pings = []

    class Control:
        def ping(self, timeout):
            pings.append(timeout)
            return [{"worker@a": {"ok": "pong"}}]

    monkeypatch.setitem(tasks.current_app.conf, "task_always_eager", False)
    monkeypatch.setattr(type(tasks.current_app), "control", Control(), raising=False)
    cache.delete(tasks.WORKERS_KEY)
    assert [tasks.workers_answering(), tasks.workers_answering()] == [1, 1]
    assert len(pings) == 1
    cache.delete(tasks.WORKERS_KEY)  # once the answer has expired, it asks again
    assert tasks.workers_answering() == 1 and len(pings) == 2
