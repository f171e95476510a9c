import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from backbone.settings import envbool, envint, envlist

ROOT = Path(__file__).resolve().parents[2]


def test_envbool_reads_yes_and_no_and_refuses_nonsense(monkeypatch):
    monkeypatch.setenv("FLAG", "yes")
    assert envbool("FLAG", False) is True
    monkeypatch.setenv("FLAG", "off")
    assert envbool("FLAG", True) is False
    monkeypatch.setenv("FLAG", "maybe")
    with pytest.raises(ImproperlyConfigured, match="FLAG"):
        envbool("FLAG", True)


def test_envint_refuses_a_word(monkeypatch):
    monkeypatch.setenv("PORT_X", "twenty")
    with pytest.raises(ImproperlyConfigured, match="PORT_X"):
        envint("PORT_X", 1)
    monkeypatch.delenv("PORT_X")
    assert envint("PORT_X", 7) == 7


def test_envlist_splits_on_commas(monkeypatch):
    monkeypatch.setenv("HOSTS", "a.example, b.example,")
    assert envlist("HOSTS", []) == ["a.example", "b.example"]


def run_check(env_overrides):
    unset = {"DEBUG", "SECRET_KEY", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    env = {k: v for k, v in os.environ.items() if k not in unset}
    env.update(env_overrides)
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_refuses_to_start_without_a_secret_key():
    result = run_check({"DEBUG": "false", "ALLOWED_HOSTS": "backbone.example"})
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_production_settings_pass_the_deploy_check():
    result = run_check(
        {
            "DEBUG": "false",
            "SECRET_KEY": "x" * 60 + "-a-long-random-production-key",
            "ALLOWED_HOSTS": "backbone.example",
        }
    )
    assert result.returncode == 0, result.stdout + result.stderr


def database_settings(env_overrides):
    """The database settings a fresh process reads from these variables."""
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "DB_CONN_MAX_AGE"}}
    env.update(env_overrides)
    code = (
        "import django, json; django.setup(); from django.conf import settings;"
        "d = settings.DATABASES['default'];"
        "print(json.dumps([d['CONN_MAX_AGE'], d['CONN_HEALTH_CHECKS']]))"
    )
    result = subprocess.run(  # noqa: S603 (our own interpreter and code)
        [sys.executable, "-c", code],
        cwd=ROOT,
        env={**env, "DJANGO_SETTINGS_MODULE": "backbone.settings"},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def test_a_server_database_keeps_its_connections_a_minute_with_health_checks():
    url = "postgres://backbone:backbone@127.0.0.1:5432/backbone"
    assert database_settings({"DATABASE_URL": url}) == "[60, true]"
    assert database_settings({"DATABASE_URL": url, "DB_CONN_MAX_AGE": "0"}) == "[0, true]"


def test_the_embedded_sqlite_file_keeps_no_connection():
    assert database_settings({"DATABASE_URL": "sqlite:///tmp/x.sqlite3"}) == "[0, true]"
