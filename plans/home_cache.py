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

from django.db.models.signals import m2m_changed
from django.dispatch import receiver
from django.utils import timezone, translation
from django_scopes import scopes_disabled

from backbone.models import Invitation, JobRun, Membership, Organization
from backbone.stamped_cache import OrganizationStamp
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


HOMES = OrganizationStamp("home", timeout=TIMEOUT)
HOMES.listen(SHOWN)


def home_bump(organization_id: int) -> None:
    """Forget every kept home of the organization (now, and again at the commit)."""
    HOMES.bump(organization_id)


def cached_home_sections(membership: Membership) -> list[Section]:
    """The member's home: from the cache while its organization's stamp is unchanged
    (one cache round trip), else made afresh and kept."""
    language = translation.get_language()
    key = f"{membership.pk}:{membership.role}:{language}:{timezone.localdate()}"
    return HOMES.get_or_make(membership.organization_id, key, lambda: home_sections(membership))


@receiver(m2m_changed, dispatch_uid="home-cache-list")
def _list_changed(sender, instance, action, **kwargs) -> None:
    if action.startswith("post_") and isinstance(instance, SHOWN):
        HOMES.row_changed(sender, instance)


@receiver(data_points_decided, dispatch_uid="home-cache-decided")
def _decided(sender, indicator_ids, **kwargs) -> None:
    with scopes_disabled():
        organizations = set(
            Indicator.objects.filter(pk__in=indicator_ids).values_list("organization_id", flat=True)
        )
    for organization_id in organizations:
        home_bump(organization_id)
