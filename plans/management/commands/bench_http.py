"""Benchmark under gunicorn: requests/s and p50/p99 of the main pages beside a bare Django
view, in the same run, at two sizes of the standard organization (`seed_scale`).

gunicorn runs 2 sync workers with production settings (DEBUG off) against the configured
database; the load comes from threads with keep-alive `http.client` connections.

Each page is measured in slices, each after a slice of the bare view, and its ratio is taken
against the bare view's rate in those slices: the speed of a shared machine drifts by up to
2x within minutes, and a ratio against one bare measurement at the start moved with it."""

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


class Load:
    """What `threads` keep-alive clients got from one path: requests, seconds, latencies."""

    def __init__(self):
        self.requests = 0
        self.seconds = 0.0
        self.latencies: list[float] = []
        self.statuses: set[int] = set()

    def run(self, port: int, path: str, cookie: str, *, seconds: float, threads: int) -> None:
        deadline = time.perf_counter() + seconds
        lock = threading.Lock()

        def client():
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            mine, statuses = [], set()
            while time.perf_counter() < deadline:
                started = time.perf_counter()
                conn.request("GET", path, headers={"Cookie": cookie, "Host": "127.0.0.1"})
                response = conn.getresponse()
                response.read()
                mine.append((time.perf_counter() - started) * 1000)
                statuses.add(response.status)
            conn.close()
            with lock:
                self.latencies.extend(mine)
                self.statuses |= statuses

        started = time.perf_counter()
        workers = [threading.Thread(target=client) for _ in range(threads)]
        for worker in workers:
            worker.start()
        for worker in workers:
            worker.join()
        self.seconds += time.perf_counter() - started
        self.requests = len(self.latencies)

    @property
    def rate(self) -> float:
        return self.requests / self.seconds

    def percentile(self, share: float) -> float:
        ordered = sorted(self.latencies)
        return ordered[min(len(ordered) - 1, int(len(ordered) * share))]


class Command(BaseCommand):
    help = "Requests/s of the main pages under gunicorn beside a bare Django view."

    def add_arguments(self, parser):
        parser.add_argument("--factor", type=float, default=10.0)
        parser.add_argument("--small", type=float, default=0.1)
        parser.add_argument("--seconds", type=float, default=5.0)
        parser.add_argument("--threads", type=int, default=10)
        parser.add_argument(
            "--rounds",
            type=int,
            default=4,
            help="slices per page, each a bare slice then a page slice: the machine's "
            "drift during a run falls on both sides of each ratio",
        )

    def handle(self, *args, factor, small, seconds, threads, rounds, **options):
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
                self.bench(port, size, org, seconds, threads, rounds)
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

    def bench(self, port, size, org, seconds, threads, rounds) -> None:
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
        rows = []
        for label, name, on_initiative in PAGES:
            kwargs = {"org_slug": org.slug}
            if on_initiative:
                kwargs["initiative_id"] = flagship.pk
            rows.append((label, reverse(name, kwargs=kwargs)))
        self.stdout.write(
            f"\n/o/{org.slug}/ (×{size:g}), gunicorn 2 sync workers, {threads} clients, "
            f"{seconds:g} s a page in {rounds} slices, each beside a slice of the bare view"
        )
        self.stdout.write(
            f"{'page':<22} {'req/s':>7} {'p50 ms':>8} {'p99 ms':>8} {'bare req/s':>11} {'× bare':>7}"
        )
        for label, path in rows:
            bare, page = Load(), Load()
            Load().run(port, path, cookie, seconds=1, threads=2)  # warm up both workers
            for _ in range(rounds):
                bare.run(port, "/bench/bare/", cookie, seconds=seconds / rounds, threads=threads)
                page.run(port, path, cookie, seconds=seconds / rounds, threads=threads)
            statuses = page.statuses | bare.statuses
            status = "" if statuses == {200} else f"  statuses {sorted(statuses)}"
            self.stdout.write(
                f"{label:<22} {page.rate:7.1f} {statistics.median(page.latencies):8.1f} "
                f"{page.percentile(0.99):8.1f} {bare.rate:11.1f} {page.rate / bare.rate:7.1%}{status}"
            )
            self.stdout.flush()
