"""Things kept in the cache while an organization's rows they were made from are unchanged:
one cache read instead of the queries and rendering that made them.

Each `OrganizationStamp` names one kind of kept thing (the homes, an initiative's
figures, the measures dashboard) and keeps, per organization, a stamp beside every
entry: an entry kept under an older stamp is made afresh. Every save or delete of a row
of the models it listens to (`listen`) — and any write that skips `save()`, by hand
(`bump`) — gives the organization a new stamp. The stamp changes at the write (the
writer's next page is fresh even inside a transaction) and again at the commit (so a
page read between the two, before the data was visible, is not kept either). Entries
also expire after their timeout, which bounds what changes with no row saved (time
passing) or outside these paths (a shell, a migration).

Keys name the database: two databases sharing one Redis (test runs side by side) never
read each other's entries.
"""

import uuid
from collections.abc import Callable, Iterable
from typing import Any

from django.core.cache import cache
from django.db import connection, transaction
from django.db.models import Model
from django.db.models.signals import post_delete, post_save

STAMP_TIMEOUT = 24 * 3600

_STAMPS: list["OrganizationStamp"] = []


def organization_of(instance: Model) -> int | None:
    """The organization a row belongs to (an organization belongs to itself)."""
    if instance._meta.label == "backbone.Organization":
        return instance.pk
    return getattr(instance, "organization_id", None)


def bump_every(organization_id: int) -> None:
    """Forget everything kept for the organization, of every kind: after a write that
    skips `save()` across many models (an import's bulk inserts)."""
    for stamp in _STAMPS:
        stamp.bump(organization_id)


class OrganizationStamp:
    def __init__(self, name: str, *, timeout: int):
        self.name = name
        self.timeout = timeout
        _STAMPS.append(self)

    def _key(self, rest: str) -> str:
        return f"{self.name}:{connection.settings_dict['NAME']}:{rest}"

    def _stamp_key(self, organization_id: int) -> str:
        return self._key(f"stamp:{organization_id}")

    def bump(self, organization_id: int) -> None:
        """Forget every entry kept for the organization (now, and again at the commit)."""

        def bump():
            cache.set(self._stamp_key(organization_id), uuid.uuid4().hex, STAMP_TIMEOUT)

        bump()
        transaction.on_commit(bump)

    def current(self, organization_id: int) -> str:
        """The organization's stamp now ("" before any): for a key of another kind that
        must change with this one's rows too."""
        return cache.get(self._stamp_key(organization_id)) or ""

    def get_or_make(self, organization_id: int, key: str, make: Callable[[], Any]) -> Any:
        """The entry `key` of the organization: from the cache while its stamp is unchanged
        (one cache round trip), else `make()` and kept."""
        entry_key = self._key(f"{organization_id}:{key}")
        stamp_key = self._stamp_key(organization_id)
        found = cache.get_many([stamp_key, entry_key])
        stamp, kept = found.get(stamp_key), found.get(entry_key)
        if stamp is not None and kept is not None and kept[0] == stamp:
            return kept[1]
        if stamp is None:
            stamp = uuid.uuid4().hex
            cache.add(stamp_key, stamp, STAMP_TIMEOUT)
            stamp = cache.get(stamp_key, stamp)  # another process may have added its own
        value = make()
        cache.set(entry_key, (stamp, value), self.timeout)
        return value

    def listen(self, models: Iterable[type[Model]]) -> None:
        """A new stamp on every save or delete of these models' rows. Receivers are
        connected to these models only: a delete receiver on every model would turn off
        Django's fast cascade deletes."""
        for model in models:
            uid = f"{self.name}-{model._meta.label}"
            post_save.connect(self.row_changed, sender=model, dispatch_uid=f"{uid}-save")
            post_delete.connect(self.row_changed, sender=model, dispatch_uid=f"{uid}-delete")

    def row_changed(self, sender, instance, **kwargs) -> None:
        if kwargs.get("raw"):
            return  # fixtures being loaded
        organization_id = organization_of(instance)
        if organization_id is not None:
            self.bump(organization_id)
