"""Demo people: Riverside's people across the spectrum of engagement in both initiatives,
Northbay's first five. Also how the other demo modules find the demo initiatives.

Idempotent: the services it calls add a person once and record a level once.
"""

import datetime

from backbone.demo import DemoWorld
from backbone.models import Organization
from stakeholders.models import Contact, Sector

from .. import services
from ..models import EngagementLevel, Initiative

E = EngagementLevel
# More people are informed and consulted than empowered, as on any real spectrum.
LEVEL_CYCLE = [E.INFORM, E.CONSULT, E.INFORM, E.INVOLVE, E.CONSULT, E.COLLABORATE, E.INFORM,
               E.EMPOWER, E.INVOLVE]  # fmt: skip

ROLE_CYCLE = [
    ["champion", "roundtable"],
    ["steering_committee"],
    ["work_group"],
    ["ambassador"],
    ["volunteer"],
    ["work_group", "volunteer"],
    [],
]


def riverside_initiatives(org: Organization) -> tuple[Initiative, Initiative] | None:
    """The poverty roundtable and the early-years partnership, once both are seeded."""
    poverty = Initiative.objects.filter(
        organization=org, name="Poverty Reduction Roundtable"
    ).first()
    early = Initiative.objects.filter(
        organization=org, name="Ready for School: Early Years Partnership"
    ).first()
    if poverty is None or early is None:
        return None
    return poverty, early


def northbay_initiative(org: Organization) -> Initiative | None:
    return Initiative.objects.filter(
        organization=org, name="Northbay Food Security Network"
    ).first()


def contacts_of(org: Organization) -> list[Contact]:
    return list(Contact.objects.filter(organization=org).order_by("id"))


def _participants(initiative: Initiative, contacts: list[Contact]) -> None:
    for i, contact in enumerate(contacts):
        level = LEVEL_CYCLE[i % len(LEVEL_CYCLE)]
        services.participation_add(
            initiative=initiative,
            contact=contact,
            roles=ROLE_CYCLE[i % len(ROLE_CYCLE)],
            level=level,
        )


def seed_people(world: DemoWorld, today: datetime.date) -> None:
    riverside = world.organizations["riverside"]
    found, contacts = riverside_initiatives(riverside), contacts_of(riverside)
    if found and contacts:
        poverty, early = found
        _participants(poverty, contacts[:24])
        _participants(early, [c for c in contacts if c.sector != Sector.BUSINESS][20:32])
    northbay = world.organizations["northbay"]
    initiative, contacts = northbay_initiative(northbay), contacts_of(northbay)
    if initiative is not None and contacts:
        _participants(initiative, contacts[:5])
