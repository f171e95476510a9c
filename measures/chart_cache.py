"""The measures dashboard (its cards of charts, status and latest story, its glossary and
the periods to enter), kept as HTML while the organization's measures are unchanged: one
cache read instead of six queries and a dozen charts drawn.

Every save or delete of a row the dashboard shows (`SHOWN`: indicators, their targets,
values, settlements, stories and definition versions, glossary terms, the initiative, and
the contacts who champion indicators), a bulk decision on values (`data_points_decided`,
which skips `save()`) and the services' few `update()`s (`measures_bump`) give the
organization a new measures stamp; a dashboard kept under an older stamp is drawn afresh.
The stamp changes at the write and again at the commit, so a page read between the two,
before the data was visible, is not kept either. What is kept holds nothing of the member
but their language and the day (both in the key); `TIMEOUT` bounds what a write outside
these paths (a shell, a migration) could leave."""

import uuid
from collections.abc import Callable

from django.core.cache import cache
from django.db import connection, transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from django.utils import translation
from django_scopes import scopes_disabled

from initiatives.models import Initiative
from stakeholders.models import Contact

from .models import (
    CurveStory,
    DataPoint,
    GlossaryTerm,
    Indicator,
    IndicatorDefinition,
    Resolution,
    Target,
)
from .signals import data_points_decided

TIMEOUT = 600
STAMP_TIMEOUT = 24 * 3600
SHOWN = (
    Indicator,
    Target,
    DataPoint,
    Resolution,
    CurveStory,
    IndicatorDefinition,
    GlossaryTerm,
    Initiative,
    Contact,
)


def _stamp_key(organization_id: int) -> str:
    # Ids are per database: two databases sharing one Redis must not read each other's.
    return f"measures-stamp:{connection.settings_dict['NAME']}:{organization_id}"


def measures_bump(organization_id: int) -> None:
    """Forget every kept card list of the organization (now, and again at the commit)."""

    def bump():
        cache.set(_stamp_key(organization_id), uuid.uuid4().hex, STAMP_TIMEOUT)

    bump()
    transaction.on_commit(bump)


def cached_fragment(organization, name: str, parts: tuple, make: Callable[[], str]) -> str:
    """The fragment `name` of the organization's measures for `parts` (ids, page, search),
    from the cache while the organization's measures stamp is unchanged, else `make()`
    and kept."""
    language = translation.get_language()
    key = (
        f"measures:{connection.settings_dict['NAME']}:{organization.pk}:{organization.slug}:"
        f"{name}:{language}:{uuid.uuid5(uuid.NAMESPACE_OID, repr(parts)).hex}"
    )
    stamp_key = _stamp_key(organization.pk)
    found = cache.get_many([stamp_key, key])
    stamp, kept = found.get(stamp_key), found.get(key)
    if stamp is not None and kept is not None and kept[0] == stamp:
        return kept[1]
    if stamp is None:
        stamp = uuid.uuid4().hex
        cache.add(stamp_key, stamp, STAMP_TIMEOUT)
        stamp = cache.get(stamp_key, stamp)  # another process may have added its own
    html = make()
    cache.set(key, (stamp, html), TIMEOUT)
    return html


def _row_changed(sender, instance, **kwargs) -> None:
    if not kwargs.get("raw") and instance.organization_id is not None:
        measures_bump(instance.organization_id)


for _model in SHOWN:
    post_save.connect(_row_changed, sender=_model, dispatch_uid=f"measures-save-{_model.__name__}")
    post_delete.connect(_row_changed, sender=_model, dispatch_uid=f"measures-del-{_model.__name__}")


@receiver(data_points_decided, dispatch_uid="measures-cache-decided")
def _decided(sender, indicator_ids, **kwargs) -> None:
    with scopes_disabled():
        organizations = set(
            Indicator.objects.filter(pk__in=indicator_ids).values_list("organization_id", flat=True)
        )
    for organization_id in organizations:
        measures_bump(organization_id)
