"""A plan version's page and a draft report card's page, kept while the organization's rows they
are made from are unchanged: one cache read instead of a dozen queries, the Markdown and
the live data assembled again.

What is kept is what the page reads (the version's content with its data sections already
assembled, the list of versions, the PDF made from it; a draft card's data), never the forms, the CSRF token
or anything of the request. Every save or delete of a row a page shows (`SHOWN`: the
plan's parts, its comments and PDFs, report cards, the live data of the apps below:
indicators, targets, values, agreements, teams, funding, events and who came, readiness,
deliverables, action items, participation, stories, contacts and partners) and a bulk decision on values (`data_points_decided`) give the organization a new
stamp; the services' `update()`s (a draft's "last changed", a PDF's or a report card's
state) bump it by hand (`plan_pages_bump`). The measures stamp is part of the key, so a
write the measures services make with `update()` (an indicator renamed or retired) is
seen at once too.

The key holds the member (what versions and initiatives they see: partners see adopted
versions of their own initiatives), the language (sections hold translated text and
formatted numbers) and the organization's day. What changes with no row saved shows
within `TIMEOUT` seconds: an event starting (it counts as held from then), a renamed
person (users belong to no organization).
"""

from collections.abc import Callable
from typing import Any

from django.dispatch import receiver
from django.utils import timezone, translation
from django_scopes import scopes_disabled

from backbone.models import Membership, Organization
from backbone.stamped_cache import OrganizationStamp
from initiatives.models import (
    ActionItem,
    Attendance,
    Deliverable,
    EngagementEvent,
    FundingCommitment,
    Initiative,
    InitiativePartner,
    Participation,
    ReadinessItem,
    Story,
    StoryFeature,
    Team,
    TeamMember,
)
from measures.chart_cache import MEASURES
from measures.models import Agreement, DataPoint, DataRequest, Indicator, Target
from measures.signals import data_points_decided
from stakeholders.models import Contact, Partner, PartnerMembership

from .models import (
    BudgetLine,
    Comment,
    EngagementActivity,
    Goal,
    Plan,
    PlanPdf,
    PlanSection,
    PlanVersion,
    ReportCard,
    Strategy,
    StrategyAction,
    StrategyTarget,
)

TIMEOUT = 60
# Receivers are connected to these models only: a delete receiver on every model would
# turn off Django's fast cascade deletes.
SHOWN = (
    Organization,
    Membership,
    Plan,
    PlanVersion,
    PlanSection,
    Goal,
    Strategy,
    StrategyTarget,
    StrategyAction,
    BudgetLine,
    EngagementActivity,
    Comment,
    PlanPdf,
    ReportCard,
    Initiative,
    InitiativePartner,
    ActionItem,
    Deliverable,
    ReadinessItem,
    Participation,
    Story,
    StoryFeature,
    Team,
    TeamMember,
    FundingCommitment,
    EngagementEvent,
    Attendance,
    Indicator,
    Target,
    DataPoint,
    DataRequest,
    Agreement,
    Contact,
    Partner,
    PartnerMembership,
)

PLAN_PAGES = OrganizationStamp("plan-pages", timeout=TIMEOUT)
PLAN_PAGES.listen(SHOWN)


def plan_pages_bump(organization_id: int) -> None:
    """Forget every kept plan page of the organization (after a write that skips save())."""
    PLAN_PAGES.bump(organization_id)


def cached_page_part(membership: Membership, name: str, make: Callable[[], Any]) -> Any:
    """What the page `name` (its kind and object) reads for this member, from the cache
    while the organization's plan pages and measures are unchanged, else `make()` and kept."""
    organization_id = membership.organization_id
    measures = MEASURES.current(organization_id)
    language = translation.get_language()
    key = f"{name}:{membership.pk}:{membership.role}:{language}:{timezone.localdate()}:{measures}"
    return PLAN_PAGES.get_or_make(organization_id, key, make)


@receiver(data_points_decided, dispatch_uid="plan-pages-decided")
def _decided(sender, indicator_ids, **kwargs) -> None:
    with scopes_disabled():
        organizations = set(
            Indicator.objects.filter(pk__in=indicator_ids).values_list("organization_id", flat=True)
        )
    for organization_id in organizations:
        plan_pages_bump(organization_id)
