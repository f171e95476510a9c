"""The organization's home, kept a minute per member: one cache read instead of a dozen
queries when nothing changed.

A home is made of the organization's rows only, so every save or delete of a row a home
shows (`SHOWN`: each model with its `organization_id`, the organization itself), a change
to a many-to-many list of such a row and a bulk decision on values (`data_points_decided`, which skips
`save()`) gives the organization a new stamp. The stamp is kept beside each home; a home
kept under an older stamp is made afresh. The stamp changes at the save (the writer's
next page is fresh even inside a transaction) and again at the commit (so a page read
between the two, before the data was visible, is not kept either).

What changes with no row saved shows within `TIMEOUT` seconds: time passing (an event
starting, an invitation expiring; the day is in the key, so work falling due shows on
the new day at once), a renamed person (users belong to no organization), and the few
`update()`s that skip `save()` (a plan version's `updated_at`).

The key holds the membership (and so its role), the language and the organization's day,
since the sections hold text already translated and dates already formatted.
"""

import datetime as dt
import uuid

from django.core.cache import cache
from django.db import connection, transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import receiver
from django.utils import timezone, translation
from django_scopes import scopes_disabled

from backbone.models import Invitation, JobRun, Membership, Organization
from initiatives.models import (
    ActionItem,
    Commitment,
    Deliverable,
    EngagementEvent,
    Initiative,
    InitiativePartner,
)
from measures.models import Agreement, DataPoint, DataRequest, Indicator, Resolution
from measures.signals import data_points_decided
from stakeholders.models import CapacityAssessment, Partner, PartnerMembership

from .models import Comment, Newsletter, Plan, PlanVersion, ReportCard
from .selectors.home import Section, home_sections

TIMEOUT = 60
STAMP_TIMEOUT = 24 * 3600
# What the homes read (plans.selectors.home). Receivers are connected to these models
# only: a delete receiver on every model would turn off Django's fast cascade deletes.
SHOWN = (
    Organization,
    Membership,
    Invitation,
    JobRun,
    Partner,
    PartnerMembership,
    CapacityAssessment,
    Initiative,
    InitiativePartner,
    Commitment,
    ActionItem,
    Deliverable,
    EngagementEvent,
    Indicator,
    DataRequest,
    DataPoint,
    Resolution,
    Agreement,
    Plan,
    PlanVersion,
    Comment,
    Newsletter,
    ReportCard,
)


def _database() -> str:
    """Ids are per database: two databases sharing one Redis (test runs side by side) must
    never read each other's homes."""
    return connection.settings_dict["NAME"]


def _stamp_key(organization_id: int) -> str:
    return f"home-stamp:{_database()}:{organization_id}"


def _home_key(membership: Membership, today: dt.date) -> str:
    language = translation.get_language()
    return f"home:{_database()}:{membership.pk}:{membership.role}:{language}:{today}"


def home_bump(organization_id: int) -> None:
    """Forget every kept home of the organization (now, and again when the transaction
    commits)."""

    def bump():
        cache.set(_stamp_key(organization_id), uuid.uuid4().hex, STAMP_TIMEOUT)

    bump()
    transaction.on_commit(bump)


def cached_home_sections(membership: Membership) -> list[Section]:
    """The member's home: from the cache while its organization's stamp is unchanged
    (one cache round trip), else made afresh and kept."""
    home_key = _home_key(membership, timezone.localdate())
    stamp_key = _stamp_key(membership.organization_id)
    found = cache.get_many([stamp_key, home_key])
    stamp = found.get(stamp_key)
    kept = found.get(home_key)
    if stamp is not None and kept is not None and kept[0] == stamp:
        return kept[1]
    if stamp is None:
        stamp = uuid.uuid4().hex
        cache.add(stamp_key, stamp, STAMP_TIMEOUT)
        stamp = cache.get(stamp_key, stamp)  # another process may have added its own
    sections = home_sections(membership)
    cache.set(home_key, (stamp, sections), TIMEOUT)
    return sections


def _organization_of(instance) -> int | None:
    if isinstance(instance, Organization):
        return instance.pk
    return getattr(instance, "organization_id", None)


def _row_changed(sender, instance, **kwargs) -> None:
    if kwargs.get("raw"):
        return  # fixtures being loaded
    organization_id = _organization_of(instance)
    if organization_id is not None:
        home_bump(organization_id)


for _model in SHOWN:
    post_save.connect(_row_changed, sender=_model, dispatch_uid=f"home-save-{_model.__name__}")
    post_delete.connect(_row_changed, sender=_model, dispatch_uid=f"home-del-{_model.__name__}")


@receiver(m2m_changed, dispatch_uid="home-cache-list")
def _list_changed(sender, instance, action, **kwargs) -> None:
    if action.startswith("post_") and isinstance(instance, SHOWN):
        _row_changed(sender, instance)


@receiver(data_points_decided, dispatch_uid="home-cache-decided")
def _decided(sender, indicator_ids, **kwargs) -> None:
    with scopes_disabled():
        organizations = set(
            Indicator.objects.filter(pk__in=indicator_ids).values_list("organization_id", flat=True)
        )
    for organization_id in organizations:
        home_bump(organization_id)
