"""The README's restore drill, run: dump the demo with deploy/backup.sh, restore it with
deploy/restore.sh into a fresh database, and serve a page from the restored copy."""

import os
import shutil
import sys

import pytest

from .nodes import ROOT, database_create, database_drop, run

pytestmark = [
    pytest.mark.skipif(
        not os.environ.get("DATABASE_URL", "").startswith("postgres")
        or not shutil.which("pg_dump"),
        reason="needs PostgreSQL (DATABASE_URL) and pg_dump, as CI has",
    ),
]

SERVE = """
import django; django.setup()
from django.test import Client
from backbone.models import User
client = Client()
client.force_login(User.objects.get(email="coordinator@riverside.example"))
response = client.get("/o/riverside/initiatives/", HTTP_HOST="127.0.0.1")
print(response.status_code, "Riverside" in response.content.decode())
"""


@pytest.mark.real_clock
def test_a_dump_of_the_demo_restores_into_a_fresh_database_that_serves_pages(tmp_path):
    base = os.environ["DATABASE_URL"]
    source, source_url = database_create(base)
    copy, copy_url = database_create(base)
    try:
        env = {
            k: v
            for k, v in os.environ.items()
            if not k.startswith(("PYTEST", "BACKBONE_TEST", "S3_"))
        }
        env.update(
            DJANGO_SETTINGS_MODULE="backbone.settings",
            PATH=f"{ROOT / '.venv' / 'bin'}:{os.path.dirname(sys.executable)}:{env['PATH']}",
        )
        source_env = {**env, "DATABASE_URL": source_url, "MEDIA_ROOT": str(tmp_path / "media")}
        run([sys.executable, "manage.py", "migrate", "--noinput"], source_env)
        run([sys.executable, "manage.py", "seed_demo"], source_env)
        out = run(["bash", "deploy/backup.sh", str(tmp_path / "backup")], source_env)
        (dump,) = (tmp_path / "backup").glob("backbone-*.dump")
        assert f"database: {dump}" in out
        run(["bash", "deploy/restore.sh", str(dump)], {**env, "DATABASE_URL": copy_url})
        database_drop(base, source)  # the original is gone: only the copy serves
        served = run([sys.executable, "-c", SERVE], {**env, "DATABASE_URL": copy_url})
        assert served.strip().splitlines()[-1] == "200 True"
    finally:
        database_drop(base, source)
        database_drop(base, copy)
