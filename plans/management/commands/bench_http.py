"""Benchmark under gunicorn: requests/s and p50/p99 of the main pages beside a bare Django
view, in the same run, at two sizes of the standard organization (`seed_scale`).

gunicorn runs 2 sync workers with production settings (DEBUG off) against the configured
database; the load comes from threads with keep-alive `http.client` connections."""

import http.client
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from importlib import import_module

from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.core.management.base import BaseCommand
from django.urls import reverse
from django_scopes import scopes_disabled

from backbone.models import Membership, Role
from initiatives.models import Initiative
from plans.scale import seed_scale

PAGES = [
    ("organization home", "organization_home", False),
    ("an initiative", "initiatives:detail", True),
    ("measures dashboard", "measures:dashboard", True),
    ("contacts list", "stakeholders:index", False),
    ("empty form (shell)", "initiatives:create", False),
]


def load(port: int, path: str, cookie: str, *, seconds: float, threads: int):
    """(requests/s, p50 ms, p99 ms, statuses) of `threads` clients hitting `path`."""
    latencies: list[float] = []
    statuses: set[int] = set()
    lock = threading.Lock()
    deadline = time.perf_counter() + seconds

    def client():
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        mine = []
        while time.perf_counter() < deadline:
            started = time.perf_counter()
            conn.request("GET", path, headers={"Cookie": cookie, "Host": "127.0.0.1"})
            response = conn.getresponse()
            response.read()
            mine.append((time.perf_counter() - started) * 1000)
            with lock:
                statuses.add(response.status)
        conn.close()
        with lock:
            latencies.extend(mine)

    started = time.perf_counter()
    workers = [threading.Thread(target=client) for _ in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    took = time.perf_counter() - started
    latencies.sort()
    p99 = latencies[min(len(latencies) - 1, int(len(latencies) * 0.99))]
    return len(latencies) / took, statistics.median(latencies), p99, statuses


class Command(BaseCommand):
    help = "Requests/s of the main pages under gunicorn beside a bare Django view."

    def add_arguments(self, parser):
        parser.add_argument("--factor", type=float, default=10.0)
        parser.add_argument("--small", type=float, default=0.1)
        parser.add_argument("--seconds", type=float, default=5.0)
        parser.add_argument("--threads", type=int, default=10)

    def handle(self, *args, factor, small, seconds, threads, **options):
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            port = probe.getsockname()[1]
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "backbone.bench_settings",
            "DEBUG": "false",
            # The sessions made here must be valid there.
            "SECRET_KEY": settings.SECRET_KEY,
            "ALLOWED_HOSTS": "127.0.0.1",
            "SECURE_SSL_REDIRECT": "false",
            # Collected outside the tree: a staticfiles/ there would change what the
            # tests' WhiteNoise serves.
            "BENCH_STATIC_ROOT": os.path.join(tempfile.gettempdir(), "backbone-bench-static"),
        }
        subprocess.run(
            [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"],
            env=env,
            check=True,
        )
        targets = [(label, seed_scale(f)[0]) for label, f in ((small, small), (factor, factor))]
        server = subprocess.Popen(  # noqa: S603 - our own interpreter and fixed arguments
            [
                *(sys.executable, "-m", "gunicorn", "backbone.wsgi:application"),
                *("--workers", "2", "--worker-class", "sync", "--bind", f"127.0.0.1:{port}"),
                *("--log-level", "warning"),
            ],
            env=env,
        )
        try:
            self.wait_for(port)
            for size, org in targets:
                self.bench(port, size, org, seconds, threads)
        finally:
            server.terminate()
            server.wait(timeout=30)

    def wait_for(self, port: int) -> None:
        """Until the bare view answers: the port opens before the workers have booted
        (slow on a busy machine), and a first request must not time out the warm-up."""
        deadline = time.perf_counter() + 180
        while time.perf_counter() < deadline:
            try:
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
                conn.request("GET", "/bench/bare/", headers={"Host": "127.0.0.1"})
                if conn.getresponse().status == 200:
                    conn.close()
                    return
            except OSError:
                time.sleep(0.5)
        raise RuntimeError("gunicorn did not start")

    def bench(self, port, size, org, seconds, threads) -> None:
        with scopes_disabled():
            admin = Membership.objects.get(organization=org, role=Role.ADMIN).user
            flagship = Initiative.objects.filter(organization=org).order_by("id").first()
        # A session made by hand: logging in would write the user's last_login row.
        session = import_module(settings.SESSION_ENGINE).SessionStore()
        session[SESSION_KEY] = str(admin.pk)
        session[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0]
        session[HASH_SESSION_KEY] = admin.get_session_auth_hash()
        session.create()
        cookie = f"{settings.SESSION_COOKIE_NAME}={session.session_key}"
        rows = [("bare Django view", "/bench/bare/")]
        for label, name, on_initiative in PAGES:
            kwargs = {"org_slug": org.slug}
            if on_initiative:
                kwargs["initiative_id"] = flagship.pk
            rows.append((label, reverse(name, kwargs=kwargs)))
        self.stdout.write(
            f"\n/o/{org.slug}/ (×{size:g}), gunicorn 2 sync workers, {threads} clients, "
            f"{seconds:g} s each"
        )
        self.stdout.write(f"{'page':<22} {'req/s':>7} {'p50 ms':>8} {'p99 ms':>8} {'× bare':>7}")
        bare_rate = None
        for label, path in rows:
            load(port, path, cookie, seconds=1, threads=2)  # warm up both workers
            rate, p50, p99, statuses = load(port, path, cookie, seconds=seconds, threads=threads)
            bare_rate = bare_rate or rate
            status = "" if statuses == {200} else f"  statuses {sorted(statuses)}"
            self.stdout.write(
                f"{label:<22} {rate:7.1f} {p50:8.1f} {p99:8.1f} {rate / bare_rate:7.1%}{status}"
            )
            self.stdout.flush()
