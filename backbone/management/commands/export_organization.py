"""`manage.py export_organization SLUG [--out FILE]`: every row of one organization, its
stored files and PDFs, in one zip (the format: README, "Organization archive")."""

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from backbone.archive import ArchiveError, organization_export
from backbone.models import Organization


class Command(BaseCommand):
    help = "Write an organization's archive (a zip of JSON per model, CSV copies, files)."

    def add_arguments(self, parser):
        parser.add_argument("slug")
        parser.add_argument("--out", help="the zip to write (default: <slug>-<date>.zip)")

    def handle(self, *args, slug: str, out: str | None, **options):
        organization = Organization.objects.filter(slug=slug).first()
        if organization is None:
            raise CommandError(f"No organization has the address “{slug}”.")
        out = out or f"{slug}-{timezone.localdate():%Y-%m-%d}.zip"
        try:
            with open(out, "wb") as target:
                counts = organization_export(organization, target)
        except ArchiveError as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(f"Wrote {out}: {sum(counts.values())} rows of {len(counts)} kinds.")
