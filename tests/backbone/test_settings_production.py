"""Each production switch, read by a fresh process from its variables."""

import json
import os
import subprocess
import sys
from pathlib import Path

from .test_settings import run_check

ROOT = Path(__file__).resolve().parents[2]
SWITCHES = {
    "S3_BUCKET",
    "S3_ENDPOINT_URL",
    "DISABLE_SERVER_SIDE_CURSORS",
    "LOG_FORMAT",
    "SENTRY_DSN",
}

READ = """
import django, json, logging; django.setup()
from django.conf import settings
storage = settings.STORAGES["default"]
handler = logging.getLogger().handlers[0]
try:
    import sentry_sdk
    client = sentry_sdk.get_client()
    sentry = {"active": client.is_active(), "pii": client.options["send_default_pii"],
              "before_send": getattr(client.options["before_send"], "__name__", None)}
except ImportError:
    sentry = None
print(json.dumps({
    "storage": storage["BACKEND"], "options": storage.get("OPTIONS", {}),
    "cursors": settings.DATABASES["default"]["DISABLE_SERVER_SIDE_CURSORS"],
    "formatter": type(handler.formatter).__name__, "stream": handler.stream.name,
    "sentry": sentry,
}))
"""


def read_settings(**variables):
    env = {k: v for k, v in os.environ.items() if k not in SWITCHES}
    env.update(variables, DJANGO_SETTINGS_MODULE="backbone.settings")
    result = subprocess.run(  # noqa: S603 (our own interpreter and code)
        [sys.executable, "-c", READ], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr[-2000:]
    return json.loads(result.stdout.strip().splitlines()[-1]), result


def test_the_defaults_keep_files_on_disk_text_logs_and_no_error_reporting():
    values, _ = read_settings()
    assert values["storage"] == "django.core.files.storage.FileSystemStorage"
    assert values["cursors"] is False
    assert values["formatter"] == "Formatter" and values["stream"] == "<stderr>"
    assert values["sentry"] is None or values["sentry"]["active"] is False


def test_an_s3_bucket_keeps_files_private_in_the_object_store():
    values, _ = read_settings(
        S3_BUCKET="backbone-files",
        S3_ENDPOINT_URL="http://minio:9000",
        S3_ACCESS_KEY_ID="key",
        S3_SECRET_ACCESS_KEY="secret",
    )
    assert values["storage"] == "storages.backends.s3.S3Storage"
    options = values["options"]
    assert options["bucket_name"] == "backbone-files"
    assert options["endpoint_url"] == "http://minio:9000"
    assert (options["access_key"], options["secret_key"]) == ("key", "secret")
    assert options["default_acl"] == "private" and options["querystring_auth"] is True
    assert options["file_overwrite"] is False


def test_pgbouncer_transaction_mode_turns_server_side_cursors_off():
    values, _ = read_settings(DISABLE_SERVER_SIDE_CURSORS="true", DB_CONN_MAX_AGE="0")
    assert values["cursors"] is True


def test_json_logs_go_to_stdout_and_a_wrong_format_is_refused():
    values, _ = read_settings(LOG_FORMAT="json")
    assert values["formatter"] == "JsonFormatter" and values["stream"] == "<stdout>"
    env = {**os.environ, "LOG_FORMAT": "xml", "DJANGO_SETTINGS_MODULE": "backbone.settings"}
    result = subprocess.run(  # noqa: S603 (our own interpreter and code)
        [sys.executable, "-c", "import django; django.setup()"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode != 0 and "LOG_FORMAT must be text or json" in result.stderr


def test_sentry_reports_errors_without_personal_data_when_a_dsn_is_set():
    values, _ = read_settings(SENTRY_DSN="https://public@127.0.0.1/1")
    assert values["sentry"] == {"active": True, "pii": False, "before_send": "scrub_event"}


def test_production_with_every_switch_still_passes_the_deploy_check():
    result = run_check(
        {
            "DEBUG": "false",
            "SECRET_KEY": "y" * 60 + "-a-long-random-production-key",
            "ALLOWED_HOSTS": "backbone.example",
            "S3_BUCKET": "backbone-files",
            "LOG_FORMAT": "json",
            "DISABLE_SERVER_SIDE_CURSORS": "true",
        }
    )
    assert result.returncode == 0, result.stdout + result.stderr
