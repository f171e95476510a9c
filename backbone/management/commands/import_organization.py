"""`manage.py import_organization ARCHIVE [--slug NEW] [--replace]`: restore an
organization's archive, all of it in one transaction or nothing."""

from django.core.management.base import BaseCommand, CommandError

from backbone.archive import ArchiveError, organization_import


class Command(BaseCommand):
    help = "Restore an organization from its archive (made by export_organization)."

    def add_arguments(self, parser):
        parser.add_argument("archive")
        parser.add_argument("--slug", help="the address to restore it under (default: its own)")
        parser.add_argument(
            "--replace",
            action="store_true",
            help="replace the organization already at that address (its rows are deleted)",
        )

    def handle(self, *args, archive: str, slug: str | None, replace: bool, **options):
        try:
            result = organization_import(archive, slug=slug, replace=replace)
        except (ArchiveError, FileNotFoundError) as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(
            f"Restored {result.organization.name} at /o/{result.organization.slug}/: "
            f"{sum(result.counts.values())} rows; "
            f"{len(result.people_created)} people created without a password "
            "(they set one with “Forgot password”)."
        )
