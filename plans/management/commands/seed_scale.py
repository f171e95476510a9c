import time

from django.core.management.base import BaseCommand

from plans.scale import PASSWORD, ROLES, Size, member_email, seed_scale


class Command(BaseCommand):
    help = (
        "Build the standard big organization for benchmarks (factor 10: 200 initiatives, "
        "5,000 contacts, 20,000 data points, 10 newsletters × 5,000 deliveries, 20 events × "
        "100 attendees), with its own slug; kept when it already exists."
    )

    def add_arguments(self, parser):
        parser.add_argument("--factor", type=float, default=10.0)

    def handle(self, *args, factor: float, **options):
        started = time.perf_counter()
        organization, created = seed_scale(factor)
        took = time.perf_counter() - started
        size = Size(factor)
        verb = f"built in {took:.1f} s" if created else "already there"
        self.stdout.write(
            self.style.SUCCESS(f"/o/{organization.slug}/ ({organization.name}) {verb}: ")
            + f"{size.initiatives} initiatives, {size.contacts} contacts, "
            f"{size.data_points} data points, {size.newsletters} newsletters × "
            f"{size.contacts} deliveries, {size.events} events × {size.attendees} attendees."
        )
        for role in ROLES:
            self.stdout.write(f"  {member_email(organization.slug, role)} / {PASSWORD}")
