"""Benchmark: import N generated contacts through the real import path (parse, preview,
confirm), inside a transaction that is rolled back, and print the times."""

import time
from functools import partial

from django.core.management.base import BaseCommand
from django_scopes import scope

from backbone.benchmarks import rolled_back
from backbone.models import Organization, User
from stakeholders.importing import import_apply, import_prepare
from stakeholders.models import Contact, Partner, Sector


def generated_csv(count: int, partners: list[str]) -> bytes:
    sectors = list(Sector.values)
    lines = ["first_name,last_name,email,phone,partner,sector,lived_experience,tags,consent,notes"]
    for i in range(count):
        lines.append(
            f"Person{i},Family{i % 397},person{i}@bench.example,613-555-{i % 10000:04d},"
            f"{partners[i % len(partners)] if i % 3 else ''},{sectors[i % len(sectors)]},"
            f'{"yes" if i % 7 == 0 else "no"},"tag {i % 12}, cohort {i % 5}",'
            f"{'yes' if i % 2 else 'no'},Imported for the benchmark"
        )
    return ("\n".join(lines) + "\n").encode()


class Command(BaseCommand):
    help = "Time a CSV import of generated contacts (default 5,000); nothing is kept."

    def add_arguments(self, parser):
        parser.add_argument("--contacts", type=int, default=5000)

    def handle(self, *args, contacts: int, **options):
        with rolled_back():
            self._run(contacts)
        self.stdout.write("Rolled back: the database is as it was.")

    def _run(self, count: int) -> None:
        organization = Organization.objects.create(name="Benchmark", slug="bench-import-run")
        user = User.objects.create_user(email="bench-import@bench.example")
        with scope(organization=organization):
            partners = [
                Partner.objects.create(
                    organization=organization, name=f"Bench partner {i}", sector="other"
                )
                for i in range(20)
            ]
            raw = generated_csv(count, [p.name for p in partners])
            self.stdout.write(f"{count} contacts, {len(raw) / 1024:.0f} KiB of CSV")

            # The file is read and checked twice: once new, once all known.
            prepare = partial(
                import_prepare,
                organization=organization,
                kind="contacts",
                filename="bench.csv",
                raw=raw,
                created_by=user,
                consent_basis="Benchmark",
            )

            started = time.perf_counter()
            batch = prepare()
            prepared = time.perf_counter()
            counts = import_apply(batch=batch, applied_by=user)
            applied = time.perf_counter()
            self.stdout.write(f"preview (read, check, store): {prepared - started:6.2f} s")
            self.stdout.write(f"confirm (re-check, write):    {applied - prepared:6.2f} s")
            self.stdout.write(f"total:                        {applied - started:6.2f} s  {counts}")
            assert Contact.objects.filter(organization=organization).count() == count

            started = time.perf_counter()
            again = prepare()
            counts = import_apply(batch=again, applied_by=user)
            self.stdout.write(
                f"re-import of the same file:   {time.perf_counter() - started:6.2f} s  {counts}"
            )
