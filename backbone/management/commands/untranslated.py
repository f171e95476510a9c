"""List the marked strings that have no French translation (or only a fuzzy one).

The catalogue in `locale/<language>/LC_MESSAGES/` is not touched: the strings marked in the
code and templates today are extracted by `makemessages` into a copy of it in a temporary
folder, and every entry of that copy that is empty or fuzzy is listed with where it is
used. Fill them in `locale/fr/LC_MESSAGES/django.po` (`makemessages -l fr --no-obsolete`
adds them there), then `compilemessages -l fr`. Uses polib (the dev extra)."""

import shutil
import tempfile
from pathlib import Path

import polib
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.core.management.commands import makemessages

# Folders whose files are not the product's text.
IGNORED = [".venv", "node_modules", "tests", "bench", "media", "htmlcov"]
DOMAINS = ("django", "djangojs")


class _IntoFolder(makemessages.Command):
    """makemessages that writes every catalogue into one folder instead of locale/."""

    target: Path

    def find_files(self, root):
        files = super().find_files(root)
        for translatable in files:
            translatable.locale_dir = str(self.target)
        return files


def missing_translations(language: str = "fr") -> list[polib.POEntry]:
    """Entries marked in the code today with no translation in `language`, or a fuzzy one."""
    source = Path(settings.LOCALE_PATHS[0])
    with tempfile.TemporaryDirectory() as folder:
        target = Path(folder)
        if (source / language).is_dir():
            shutil.copytree(source / language, target / language)
        command = _IntoFolder()
        command.target = target
        missing = []
        for domain in DOMAINS:
            # makemessages runs from the project root, like `manage.py makemessages`.
            call_command(
                command,
                locale=[language],
                domain=domain,
                ignore_patterns=IGNORED,
                no_obsolete=True,
                verbosity=0,
            )
            catalogue = target / language / "LC_MESSAGES" / f"{domain}.po"
            if catalogue.exists():
                po = polib.pofile(str(catalogue))
                missing += po.untranslated_entries() + po.fuzzy_entries()
        return missing


def describe(entry: polib.POEntry) -> str:
    where = ", ".join(f"{path}:{line}" for path, line in entry.occurrences[:3])
    flag = "fuzzy " if entry.fuzzy else ""
    return f"{flag}{entry.msgid!r}  ({where})"


class Command(BaseCommand):
    help = (
        "List the marked strings with no French translation or a fuzzy one "
        "(exit status 1 when there are any)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--language", default="fr")

    def handle(self, *args, language, **options):
        missing = missing_translations(language)
        for entry in missing:
            self.stdout.write(describe(entry))
        if missing:
            raise CommandError(f"{len(missing)} strings have no {language} translation.")
        self.stdout.write(self.style.SUCCESS(f"Every marked string has a {language} translation."))
