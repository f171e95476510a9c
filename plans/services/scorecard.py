"""Writes on an initiative's public scorecard: publishing it (which makes it on first
use, with a stable address), unpublishing it, its text; and `scorecard_bump`, which
`plans.signals` calls whenever something the page shows changes."""

import secrets

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.text import slugify
from django_scopes import scopes_disabled

from backbone.stale import note_editor, require_unchanged
from initiatives.models import Initiative

from ..models import Scorecard

# What the scorecard's form changes, fingerprinted to refuse a stale save.
SCORECARD_EDITED = ("summary",)


def _new_slug(initiative: Initiative) -> str:
    """Readable and unguessable enough not to be walked: the name, then 6 random letters."""
    base = slugify(initiative.name)[:60].strip("-") or "scorecard"
    return f"{base}-{secrets.token_hex(3)}"


@transaction.atomic
def scorecard_of(*, initiative: Initiative) -> Scorecard:
    """The initiative's scorecard, made (unpublished) the first time it is asked for."""
    card, _created = Scorecard.objects.get_or_create(
        initiative=initiative,
        defaults={"organization_id": initiative.organization_id, "slug": _new_slug(initiative)},
    )
    return card


@transaction.atomic
def scorecard_publish(*, scorecard: Scorecard) -> Scorecard:
    scorecard.published = True
    scorecard.published_at = timezone.now()
    scorecard.version = F("version") + 1
    scorecard.save(update_fields=["published", "published_at", "version", "updated_at"])
    scorecard.refresh_from_db(fields=["version"])
    return scorecard


@transaction.atomic
def scorecard_unpublish(*, scorecard: Scorecard) -> Scorecard:
    """Take the scorecard down: its address, charts and public calendar answer 404 at once
    (the public views ask the database whether it is published before the cache)."""
    scorecard.published = False
    scorecard.published_at = None
    scorecard.version = F("version") + 1
    scorecard.save(update_fields=["published", "published_at", "version", "updated_at"])
    scorecard.refresh_from_db(fields=["version"])
    return scorecard


@transaction.atomic
def scorecard_update(
    *, scorecard: Scorecard, summary: str, seen: str | None = None, by=None
) -> Scorecard:
    """Save the agenda in brief; a form's `seen` fingerprint refuses a save over a change
    made meanwhile (see `backbone.stale`)."""
    require_unchanged(scorecard, SCORECARD_EDITED, seen)
    scorecard.summary = summary
    scorecard.version = F("version") + 1
    scorecard.save(update_fields=["summary", "version", "updated_at"])
    scorecard.refresh_from_db(fields=["version"])
    note_editor(scorecard, SCORECARD_EDITED, by)
    return scorecard


def scorecard_bump(**where) -> int:
    """A new version for the scorecards matching `where` (e.g. initiative_id=…): their
    cached pages are no longer read. One UPDATE, in or out of a tenant scope."""
    with scopes_disabled():
        return Scorecard.objects.filter(**where).update(version=F("version") + 1)
