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

from django.dispatch import receiver
from django.utils import translation
from django_scopes import scopes_disabled

from backbone.stamped_cache import OrganizationStamp
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


MEASURES = OrganizationStamp("measures", timeout=TIMEOUT)
MEASURES.listen(SHOWN)


def measures_bump(organization_id: int) -> None:
    """Forget every kept card list of the organization (now, and again at the commit)."""
    MEASURES.bump(organization_id)


def cached_fragment(organization, name: str, parts: tuple, make: Callable[[], str]) -> str:
    """The fragment `name` of the organization's measures for `parts` (ids, page, search),
    from the cache while the organization's measures stamp is unchanged, else `make()`
    and kept."""
    language = translation.get_language()
    digest = uuid.uuid5(uuid.NAMESPACE_OID, repr(parts)).hex
    key = f"{organization.slug}:{name}:{language}:{digest}"
    return MEASURES.get_or_make(organization.pk, key, make)


@receiver(data_points_decided, dispatch_uid="measures-cache-decided")
def _decided(sender, indicator_ids, **kwargs) -> None:
    with scopes_disabled():
        organizations = set(
            Indicator.objects.filter(pk__in=indicator_ids).values_list("organization_id", flat=True)
        )
    for organization_id in organizations:
        measures_bump(organization_id)
