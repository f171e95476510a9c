"""The organization's lists of initiatives (the overview's cards, the list, the actions
due) and each initiative's people kept as HTML a minute: one cache read instead of the queries and rendering that made
them, while nothing they show changed.

What a list shows is the same for every staff and roundtable member (they see every
initiative), so they share an entry; a partner user sees the initiatives their partner
takes part in, so their entry is their own. The key holds the language and the
organization's day (the HTML holds translated text and dates, and work falls due on a
new day at once) and the query string (its page and filters; a search is made afresh).

Every save or delete of a row the lists show (`SHOWN`) gives the organization a new stamp
(`backbone.stamped_cache`), kept beside each entry: an entry kept under an older stamp is
made afresh. Writes that skip `save()` bump it by hand (`lists_bump`); an import bumps
every kind at once (`bump_every`).
"""

import hashlib
from collections.abc import Callable
from typing import Any

from django.utils import timezone, translation

from backbone.models import Organization, Role
from backbone.stamped_cache import OrganizationStamp
from stakeholders.models import CapacityAssessment, Contact, Partner, PartnerMembership

from .models import (
    ActionItem,
    Deliverable,
    Initiative,
    InitiativePartner,
    Participation,
    ParticipationRole,
    ReadinessItem,
    Risk,
)

TIMEOUT = 60
# What the lists show or who may see it. Receivers are connected to these models only: a
# delete receiver on every model would turn off Django's fast cascade deletes.
SHOWN = (
    Organization,  # its address (slug) is in every link
    Initiative,
    InitiativePartner,  # which initiatives a partner user sees
    PartnerMembership,
    ReadinessItem,
    Deliverable,
    ActionItem,
    Risk,
    Contact,  # the lead of an action
)

LISTS = OrganizationStamp("initiative-lists", timeout=TIMEOUT)
LISTS.listen(SHOWN)

# The people of an initiative (its table and the counts at each level), apart: the lists
# above need not be made afresh when someone joins.
PEOPLE_SHOWN = (
    Organization,
    Initiative,  # archived: no edit links
    Participation,
    ParticipationRole,
    Contact,
    Partner,  # the name where a person works
    PartnerMembership,  # whose people a partner user sees
    InitiativePartner,  # the partners at the table (system map)
)
PEOPLE = OrganizationStamp("initiative-people", timeout=TIMEOUT)
PEOPLE.listen(PEOPLE_SHOWN)

# The capacity of the partners taking part (their yearly self-assessments).
CAPACITY_SHOWN = (Organization, Partner, PartnerMembership, InitiativePartner, CapacityAssessment)
CAPACITY = OrganizationStamp("initiative-capacity", timeout=TIMEOUT)
CAPACITY.listen(CAPACITY_SHOWN)


def lists_bump(organization_id: int) -> None:
    """Forget every kept list of the organization (now, and again at the commit)."""
    LISTS.bump(organization_id)


def cached_list(
    request, kind: str, make: Callable[[], Any], *, stamp: OrganizationStamp = LISTS
) -> Any:
    """What `make()` made for this request's list `kind`: from the cache while the
    organization's stamp is unchanged, else made and kept. A search is always made afresh
    (its words would make a key per keystroke)."""
    if request.GET.get("q", "").strip():
        return make()
    membership = request.membership
    reader = f"partner-{membership.pk}" if membership.role == Role.PARTNER else "organization"
    query = hashlib.blake2b(request.GET.urlencode().encode(), digest_size=12).hexdigest()
    key = f"{kind}:{reader}:{translation.get_language()}:{timezone.localdate()}:{query}"
    return stamp.get_or_make(membership.organization_id, key, make)
