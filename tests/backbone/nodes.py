"""Two of each, for real: web and worker processes started from their own empty working
directories, sharing one PostgreSQL database (made for the test), one Redis, one S3 server
(moto on loopback) and one SMTP sink (aiosmtpd on loopback)."""

import asyncio
import json
import os
import signal
import subprocess
import sys
import threading
import time
import uuid
from collections import Counter
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import psycopg
import requests

from .s3 import free_port, s3_environment

ROOT = Path(__file__).resolve().parents[2]


class CountingSink:
    """An SMTP server that only counts who received what (parsing 4,000 mails is not the point)."""

    def __init__(self):
        self.lock = threading.Lock()
        self.received: Counter[tuple[str, str]] = Counter()  # (subject, recipient) -> mails

    async def handle_DATA(self, server, session, envelope):
        head = envelope.content.split(b"\r\n\r\n", 1)[0].decode("utf-8", "replace")
        subject = next(
            (line[9:] for line in head.split("\r\n") if line.startswith("Subject: ")), ""
        )
        with self.lock:
            for recipient in envelope.rcpt_tos:
                self.received[(subject, recipient)] += 1
        return "250 OK"

    def figures(self, subject: str) -> tuple[int, int, int]:
        """(mails, distinct recipients, duplicates) of one subject."""
        with self.lock:
            counts = [n for (s, _r), n in self.received.items() if s == subject]
        return sum(counts), len(counts), sum(n - 1 for n in counts)


def smtp_sink_start():
    from aiosmtpd.controller import Controller  # imported here: only these tests run a sink

    sink = CountingSink()
    controller = Controller(sink, hostname="127.0.0.1", port=free_port())
    controller.start()
    asyncio.set_event_loop(None)
    return sink, controller


def database_create(base_url: str) -> tuple[str, str]:
    """A fresh database beside the suite's, that the subprocesses and the test both see."""
    name = f"backbone_nodes_{uuid.uuid4().hex[:8]}"
    parts = urlsplit(base_url)
    admin_url = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    return name, urlunsplit(parts._replace(path=f"/{name}"))


def database_drop(base_url: str, name: str) -> None:
    admin_url = urlunsplit(urlsplit(base_url)._replace(path="/postgres"))
    # FORCE ends our own sessions, but not an autovacuum worker that PostgreSQL started on
    # the freshly loaded database (only a superuser may): wait for it to finish.
    for attempt in range(30):
        try:
            with psycopg.connect(admin_url, autocommit=True) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            return
        except psycopg.errors.InsufficientPrivilege:
            if attempt == 29:
                raise
            time.sleep(1)


def node_environment(*, database_url, redis_url, s3_endpoint, bucket, smtp_port, workdir):
    environment = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "PYTEST", "BACKBONE_TEST", "S3_"))
    }
    environment.update(
        {
            "PYTHONPATH": str(ROOT),
            "PYTHONDONTWRITEBYTECODE": "1",
            "DJANGO_SETTINGS_MODULE": "backbone.settings",
            "DEBUG": "true",
            "SECRET_KEY": "two-nodes-test-key-" + "x" * 40,
            "ALLOWED_HOSTS": "127.0.0.1",
            "DATABASE_URL": database_url,
            "REDIS_URL": redis_url,
            "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "EMAIL_HOST": "127.0.0.1",
            "EMAIL_PORT": str(smtp_port),
            # Were anything written to a node's disk, it would land here, in its own folder.
            "MEDIA_ROOT": str(Path(workdir) / "media"),
            "EMAIL_FILE_PATH": str(Path(workdir) / "mail"),
            "LOG_FORMAT": "json",
            **s3_environment(s3_endpoint, bucket),
        }
    )
    return environment


class Node:
    """A gunicorn or Celery process in its own process group and working directory."""

    def __init__(self, name: str, command: list[str], environment: dict, workdir: Path):
        self.name = name
        self.workdir = workdir
        self.log = (workdir.parent / f"{name}.log").open("w")
        self.process = subprocess.Popen(  # noqa: S603 — our own interpreter and arguments
            command,
            cwd=workdir,
            env=environment,
            stdout=self.log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    def kill(self) -> None:
        """SIGKILL the whole group (a prefork worker is a parent and its children)."""
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(10)

    def stop(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(20)
            except subprocess.TimeoutExpired:
                self.kill()
        self.log.close()

    def output(self) -> str:
        self.log.flush()
        return (self.workdir.parent / f"{self.name}.log").read_text()


def web_start(name: str, environment: dict, workdir: Path) -> tuple[Node, str]:
    port = free_port()
    command = [
        sys.executable, "-m", "gunicorn", "backbone.wsgi:application",
        "--bind", f"127.0.0.1:{port}", "--workers", "1", "--timeout", "120",
    ]  # fmt: skip
    return Node(name, command, environment, workdir), f"http://127.0.0.1:{port}"


def worker_start(name: str, environment: dict, workdir: Path) -> Node:
    command = [
        sys.executable, "-m", "celery", "-A", "backbone", "worker", "--loglevel=INFO",
        "--concurrency=1", "--pool=prefork", "--without-gossip", "--without-mingle",
        f"--hostname={name}@%h",
    ]  # fmt: skip
    return Node(name, command, environment, workdir)


def wait_until(predicate, *, timeout: float, what: str, every: float = 0.2):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(every)
    raise AssertionError(f"timed out after {timeout:.0f} s waiting for {what}")


def ready(base_url: str) -> bool:
    try:
        return requests.get(f"{base_url}/readyz", timeout=60).status_code == 200
    except (requests.ConnectionError, requests.Timeout):
        return False


def run(command: list[str], environment: dict) -> str:
    """Run a command of ours from the project folder; its output, once it succeeded."""
    done = subprocess.run(  # noqa: S603 — our own interpreter, scripts and arguments
        command, cwd=ROOT, env=environment, capture_output=True, text=True, timeout=300, check=False
    )
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-3000:]
    return done.stdout


def setup_run(environment: dict, *args: str) -> dict | int:
    """Run nodes_setup.py against the test's database."""
    output = run([sys.executable, "-m", "tests.backbone.nodes_setup", *args], environment)
    return json.loads(output.strip().splitlines()[-1])


def files_under(folder: Path) -> list[str]:
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*"))
