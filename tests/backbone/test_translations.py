"""French throughout: every marked string has a French translation (none fuzzy), the
compiled catalogue is the one the .po describes, and every page of the isolation walk,
rendered for an organization whose language is French, shows no English UI word outside
the data people typed in.

When strings are added, `manage.py untranslated` lists those still to translate."""

import os
import re
import shutil
import zoneinfo
from html.parser import HTMLParser
from pathlib import Path

import polib
import pytest
from django.apps import apps
from django.conf import settings
from django.db import models
from django_scopes import scopes_disabled

from backbone.management.commands.untranslated import describe, missing_translations

from ..page_walk import html_pages

CATALOGUE = Path(settings.LOCALE_PATHS[0]) / "fr" / "LC_MESSAGES"

# Common English words of the interface; each is a whole word that French never uses
# (so not "Notifications", "Comment", "Plans", "Initiatives", "Phase", "Total"...).
STOP_WORDS = [
    "Save",
    "Cancel",
    "Edit",
    "Delete",
    "Add",
    "Search",
    "Name",
    "Status",
    "Due",
    "Partners",
    "Partner",
    "Indicators",
    "Indicator",
    "Settings",
    "Next",
    "Previous",
    "Remove",
    "Submit",
    "Back",
    "Filter",
    "Clear",
    "Members",
    "Overview",
    "Events",
    "Risks",
    "Stories",
    "Funding",
    "Governance",
    "Commitments",
    "People",
    "Dashboard",
    "Newsletter",
    "Approve",
    "Upload",
    "Download",
    "Import",
    "Export",
    "Yes",
    "None",
    "Today",
    "Week",
    "Month",
    "Year",
    "Draft",
    "Published",
    "Overdue",
    "Send",
    "Sent",
    "Welcome",
    "No",
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
    "Sunday",
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
    "Duration",
    "Sector",
    "Email",
    "Owner",
    "Lead",
    "Target",
    "Deliverables",
    "Readiness",
    "Stakeholders",
    "Measures",
    "Report",
    "Profile",
    "Organization",
    "Invite",
    "Role",
    "Roles",
    "Title",
    "Value",
    "Period",
    "Help",
    "Close",
    "Open",
    "Show",
    "Hide",
    "View",
    "More",
    "Less",
    "Done",
    "New",
    "the",
    "and",
    "your",
    "with",
    "this",
    "for",
    "from",
    "are",
    "is",
    "was",
    "has",
    "have",
    "not",
]
MULTI_WORD = ("Sign out", "Sign in", "Report card")
STOP = re.compile(
    r"\b(" + "|".join(STOP_WORDS) + r")\b|" + "|".join(re.escape(w) for w in MULTI_WORD)
)
SHOWN_ATTRIBUTES = {"title", "aria-label", "placeholder", "alt", "aria-description"}


class _Texts(HTMLParser):
    """The text a person reads or hears: text nodes outside script/style, labels in
    attributes, and the value of buttons."""

    def __init__(self):
        super().__init__()
        self.texts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag, attrs):
        if tag in {"script", "style", "template"}:
            self._skip += 1
        attributes = dict(attrs)
        for name, value in attributes.items():
            if name in SHOWN_ATTRIBUTES and value:
                self.texts.append(value)
        if tag == "input" and attributes.get("type") in {"submit", "button"}:
            self.texts.append(attributes.get("value") or "")

    def handle_endtag(self, tag):
        if tag in {"script", "style", "template"} and self._skip:
            self._skip -= 1

    def handle_data(self, data):
        if not self._skip and data.strip():
            self.texts.append(data.strip())


def user_data() -> list[str]:
    """Every text people (or the factories) typed into the database, longest first."""
    found = set()
    with scopes_disabled():
        for model in apps.get_models():
            fields = [
                f.name
                for f in model._meta.concrete_fields
                if isinstance(f, models.CharField | models.TextField | models.EmailField)
                and not f.choices
            ]
            for row in model._default_manager.values_list(*fields) if fields else []:
                for value in row:
                    if value:
                        found.add(str(value))
                        found.update(line.strip() for line in str(value).splitlines())
    # Time zone names are names, not words to translate.
    found.update(name.replace("_", " ") for name in zoneinfo.available_timezones())
    return sorted((v for v in found if v), key=len, reverse=True)


def english_in(text: str, data: list[str]) -> list[str]:
    if not STOP.search(text):
        return []
    for value in data:
        if value in text:  # a whole value only: "ti" is no reason to cut "Notifications"
            text = re.sub(rf"(?<!\w){re.escape(value)}(?!\w)", " ", text)
    return [m.group(0) for m in STOP.finditer(text)]


def needs_gettext():
    if not shutil.which("xgettext"):
        if os.environ.get("CI"):
            pytest.fail("xgettext is missing; .ci/run installs gettext")
        pytest.skip("no xgettext on PATH to extract the marked strings (apt-get install gettext)")


def test_every_marked_string_has_a_french_translation():
    needs_gettext()
    missing = missing_translations("fr")
    assert not missing, (
        f"{len(missing)} marked strings have no French translation (or a fuzzy one); "
        "`manage.py untranslated` lists them:\n" + "\n".join(describe(e) for e in missing)
    )


def test_the_check_names_a_string_that_lost_its_translation(tmp_path, settings):
    needs_gettext()
    po = polib.pofile(str(CATALOGUE / "django.po"))
    dropped = next(e for e in po if e.msgid == "Sign out")
    dropped.msgstr = ""
    folder = tmp_path / "fr" / "LC_MESSAGES"
    folder.mkdir(parents=True)
    po.save(str(folder / "django.po"))
    settings.LOCALE_PATHS = [tmp_path]
    missing = missing_translations("fr")
    assert [e.msgid for e in missing] == ["Sign out"]
    assert "templates/" in describe(missing[0])


def test_the_catalogue_has_no_fuzzy_or_empty_entry():
    po = polib.pofile(str(CATALOGUE / "django.po"))
    assert len(po) > 1500
    assert po.untranslated_entries() == []
    assert po.fuzzy_entries() == []
    assert po.metadata["Plural-Forms"].startswith("nplurals=2; plural=(n > 1)")


def test_the_compiled_catalogue_is_the_po_compiled():
    """The .mo is committed (a fresh machine needs no gettext tools): it must say exactly
    what the .po says. After editing the .po: `manage.py compilemessages -l fr`."""

    def pairs(catalogue):
        return {
            (e.msgctxt, e.msgid): e.msgstr or tuple(sorted(e.msgstr_plural.items()))
            for e in catalogue
            if e.msgid and (e.msgstr or e.msgstr_plural) and "fuzzy" not in e.flags
        }

    po = polib.pofile(str(CATALOGUE / "django.po"))
    mo = polib.mofile(str(CATALOGUE / "django.mo"))
    assert pairs(mo) == pairs(po), "Run `manage.py compilemessages -l fr` and commit the .mo"


def test_every_page_in_french_shows_no_english_word(world, login, clock):
    world.org.language = "fr"
    world.org.save()
    pages = list(html_pages(world, login))
    assert len(pages) > 50
    data = user_data()
    found: dict[str, set[str]] = {}
    for page in pages:
        parser = _Texts()
        parser.feed(page.body)
        for text in parser.texts:
            words = english_in(text, data)
            if words:
                found.setdefault(f"{page.role} {page.url}", set()).add(
                    f"{'/'.join(sorted(set(words)))}: {text[:90]!r}"
                )
    report = "\n".join(f"{url}\n    " + "\n    ".join(sorted(t)) for url, t in found.items())
    assert not found, f"English on French pages ({len(found)} pages):\n{report}"


def test_the_english_check_sees_english_and_spares_user_data():
    assert english_in("Save settings", []) == ["Save"]
    assert english_in("Partners of Riverside", ["Riverside"]) == ["Partners"]
    assert english_in("Enregistrer « Save the river »", ["Save the river"]) == []
    assert english_in("Enregistrer les paramètres", []) == []
    assert english_in("Notifications", ["ti", "t"]) == []
