"""Benchmark: every GET page of the URL walk, as each role, on a small and a big
organization (`seed_scale`), in-process. Prints median server time, queries and HTML
size per page, worst first, with totals. `--check-flat` fails when a page's query count
grows with the data (the CI smoke); times never fail it."""

import sys

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import transaction

from plans.bench import walk
from plans.scale import seed_scale


class Rollback(Exception):
    pass


class Command(BaseCommand):
    help = "Time every organization page at two sizes; --check-flat fails on query growth."

    def add_arguments(self, parser):
        parser.add_argument("--factor", type=float, default=10.0, help="the big organization")
        parser.add_argument("--small", type=float, default=0.1, help="the small one (~demo)")
        parser.add_argument("--repeat", type=int, default=3)
        parser.add_argument("--top", type=int, default=0, help="print only the worst N rows")
        parser.add_argument("--role", action="append", help="only these roles (repeatable)")
        parser.add_argument("--check-flat", action="store_true")

    def handle(self, *args, factor, small, repeat, top, role, check_flat, **options):
        # The makers of the isolation walk are test code (factory_boy, a dev dependency):
        # the benchmark needs them, the app does not.
        from tests.isolation import OBJECT_MAKERS

        settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
        settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
        small_org, _ = seed_scale(small)
        big_org, _ = seed_scale(factor)
        results = {}
        try:
            # The objects the makers add are rolled back: both organizations stay as built.
            with transaction.atomic():
                for label, org in (("small", small_org), ("big", big_org)):
                    self.stderr.write(f"walking /o/{org.slug}/ …")
                    for m in walk(org, OBJECT_MAKERS, repeat, roles=role):
                        results.setdefault((m.name, m.role), {})[label] = m
                raise Rollback
        except Rollback:
            pass
        self.report(results, small, factor, top)
        if check_flat:
            grown = [
                (key, pair["small"].queries, pair["big"].queries)
                for key, pair in results.items()
                if pair["small"].status == pair["big"].status == 200
                and pair["big"].queries > pair["small"].queries
            ]
            for (name, role), before, after in grown:
                self.stdout.write(f"GROWS: {name} as {role}: {before} → {after} queries")
            if grown:
                sys.exit(1)
            self.stdout.write(self.style.SUCCESS("Query counts are flat on every page."))

    def report(self, results, small, factor, top):
        rows = [
            (name, role, pair["small"], pair["big"])
            for (name, role), pair in results.items()
            if pair["small"].status == 200 or pair["big"].status == 200
        ]
        rows.sort(key=lambda row: row[3].ms, reverse=True)
        head = f"{'page':<40} {'role':<11} "
        sizes = f"{'ms':>7} {'q':>4} {'KiB':>6}"
        self.stdout.write(f"{'':<52} ×{small:<17g} ×{factor:g}")
        self.stdout.write(f"{head}{sizes}   {sizes}")
        for name, role, s, b in rows[: top or None]:
            self.stdout.write(
                f"{name:<40} {role:<11} {s.ms:7.1f} {s.queries:4d} {s.size / 1024:6.1f}"
                f"   {b.ms:7.1f} {b.queries:4d} {b.size / 1024:6.1f}"
            )
        total = {
            label: (
                sum(r[i].ms for r in rows),
                sum(r[i].queries for r in rows),
                sum(r[i].size for r in rows) / 1024,
            )
            for i, label in ((2, "small"), (3, "big"))
        }
        s, b = total["small"], total["big"]
        self.stdout.write(
            f"{'TOTAL (' + str(len(rows)) + ' pages × roles)':<52} "
            f"{s[0]:7.0f} {s[1]:4d} {s[2]:6.0f}   {b[0]:7.0f} {b[1]:4d} {b[2]:6.0f}"
        )
        pages = [r for r in rows if r[3].html]
        slow = [r for r in pages if r[3].ms > 50]
        big = [r for r in pages if r[3].size > 150 * 1024]
        self.stdout.write(
            f"Over the budget at ×{factor:g}, of {len(pages)} HTML pages × roles "
            f"(downloads left out): {len(slow)} over 50 ms, {len(big)} over 150 KiB"
            + "".join(f"\n  over 150 KiB: {r[0]} as {r[1]}" for r in big)
        )
