"""Which role may do what: the one place that decides.

Views ask `can(membership, action)` (or use `@org_view(action)`), templates ask
`{% if membership|can:"initiatives.edit" %}`, and the tests enumerate this table.
Object-level narrowing (a partner sees only what its partner takes part in) is
done by the selectors of the app that owns the objects; this table decides what
a role may do at all.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .models import Role

if TYPE_CHECKING:
    from .models import Membership

ADMIN = Role.ADMIN
COORDINATOR = Role.COORDINATOR
PARTNER = Role.PARTNER
ROUNDTABLE = Role.ROUNDTABLE

EVERYONE = frozenset({ADMIN, COORDINATOR, PARTNER, ROUNDTABLE})
STAFF = frozenset({ADMIN, COORDINATOR})
READERS = frozenset({ADMIN, COORDINATOR, ROUNDTABLE})

PERMISSIONS: dict[str, frozenset[Role]] = {
    # The organization itself.
    "organization.view": EVERYONE,
    "organization.settings": frozenset({ADMIN}),
    "members.view": READERS,
    "members.manage": frozenset({ADMIN}),
    "jobs.view": frozenset({ADMIN}),
    # The transition pack: the organization's archive, handing the admin role on.
    "organization.archive": frozenset({ADMIN}),
    "organization.transfer": frozenset({ADMIN}),
    # Initiatives: phases, readiness, deliverables, actions, governance, risks, funding.
    "initiatives.view": EVERYONE,
    "initiatives.edit": STAFF,
    # The reflection board of a phase: the backbone and the roundtable add notes and vote.
    "initiatives.reflect": READERS,
    # Stakeholders: the registry of partners and contacts (personal data).
    "stakeholders.view": EVERYONE,
    "stakeholders.edit": STAFF,
    # The backbone's own relationship records about a person: notes, timeline, consent history.
    "stakeholders.notes": READERS,
    "stakeholders.export": STAFF,
    # Inviting a partner's users from the partner's page (staff roles: members.manage).
    "partners.invite": STAFF,
    # A partner's capacity self-assessment: its own users answer, staff on its behalf;
    # the table of every partner's answers is for readers.
    "capacity.answer": frozenset({ADMIN, COORDINATOR, PARTNER}),
    "capacity.view": READERS,
    # Shared measurement.
    "measures.view": EVERYONE,
    "measures.define": STAFF,
    "measures.submit": frozenset({ADMIN, COORDINATOR, PARTNER}),
    "measures.approve": STAFF,
    # What the backbone publishes.
    "plans.view": EVERYONE,
    "plans.edit": STAFF,
    "plans.comment": frozenset({ADMIN, COORDINATOR, ROUNDTABLE}),
    "plans.download": EVERYONE,
    "newsletters.manage": STAFF,
    # Backbone effectiveness reviews: staff run them; the roundtable reads published results.
    "reviews.view": READERS,
    "reviews.manage": STAFF,
    # The handover report of an initiative (key contacts in it: readers only).
    "handover.view": READERS,
    "handover.make": STAFF,
}


def can(membership: Membership | None, action: str) -> bool:
    """Whether the member's role allows `action`. Unknown actions raise, typos never pass."""
    try:
        allowed = PERMISSIONS[action]
    except KeyError:
        raise KeyError(f"Unknown permission {action!r}; add it to backbone.permissions") from None
    return membership is not None and membership.role in allowed
