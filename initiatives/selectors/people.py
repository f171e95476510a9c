"""Reads of who takes part in an initiative, and who may see whose personal data.

Staff and roundtable members see everyone's names and contact details. A partner user
sees names only, and only of their own partner's people (be conservative: the others
did not agree to be shown to another organization).
"""

from dataclasses import dataclass, field

from django.db import models
from django.db.models import Count, Prefetch, QuerySet

from backbone.models import Membership, Role
from stakeholders.models import Contact, Sector
from stakeholders.selectors import ContactFilters, contacts_apply_filters, partner_of

from ..models import (
    EngagementLevel,
    Initiative,
    InitiativePartner,
    Participation,
    ParticipationRole,
)


@dataclass(frozen=True)
class PeopleView:
    """What this member may see of people: everyone with details, or their own partner's names."""

    details: bool
    own_partner_id: int | None

    def sees(self, contact: Contact) -> bool:
        return self.sees_staff_of(contact.partner_id)

    def sees_staff_of(self, partner_id: int | None) -> bool:
        """Whether the details of a person of this partner (None: of none) show."""
        return self.details or (
            self.own_partner_id is not None and partner_id == self.own_partner_id
        )


def people_view_for(membership: Membership) -> PeopleView:
    if membership.role == Role.PARTNER:
        partner = partner_of(membership)
        return PeopleView(details=False, own_partner_id=partner.pk if partner else None)
    return PeopleView(details=True, own_partner_id=None)


def visible_people(queryset: QuerySet, view: PeopleView, path: str = "contact") -> QuerySet:
    if view.details:
        return queryset
    if view.own_partner_id is None:
        return queryset.none()
    return queryset.filter(**{f"{path}__partner_id": view.own_partner_id})


@dataclass(frozen=True)
class PeopleFilters:
    q: str = ""
    role: str = ""
    level: str = ""
    sector: str = ""
    lived_experience: bool | None = None


def participants(
    initiative: Initiative, view: PeopleView, filters: PeopleFilters = PeopleFilters()
) -> QuerySet[Participation]:
    """The initiative's people this member may see, filtered, with contact, partner and roles."""
    contacts = contacts_apply_filters(
        Contact.objects.filter(organization_id=initiative.organization_id),
        ContactFilters(
            q=filters.q, sector=filters.sector, lived_experience=filters.lived_experience
        ),
    )
    queryset = Participation.objects.filter(
        organization_id=initiative.organization_id, initiative=initiative, contact__in=contacts
    )
    if filters.role:
        queryset = queryset.filter(
            pk__in=ParticipationRole.objects.filter(role=filters.role).values("participation_id")
        )
    if filters.level:
        queryset = queryset.filter(level=filters.level)
    return (
        visible_people(queryset, view)
        .select_related("contact__partner")
        .prefetch_related(Prefetch("roles", queryset=ParticipationRole.objects.order_by("role")))
        .order_by("contact__last_name", "contact__first_name", "id")
    )


def level_counts(initiative: Initiative) -> list[tuple[str, str, int]]:
    """How many people sit at each level of the spectrum (all people: counts are not personal)."""
    rows = (
        Participation.objects.filter(initiative=initiative)
        .values("level")
        .annotate(n=Count("id"))
        .order_by()
    )
    found = {row["level"]: row["n"] for row in rows}
    return [(value, label, found.get(value, 0)) for value, label in EngagementLevel.choices]


@dataclass
class MapCell:
    count: int = 0
    names: list[str] = field(default_factory=list)


@dataclass
class MapRow:
    sector: str
    label: str
    partners: list[str]
    cells: list[MapCell]
    partner_staff: MapCell  # people of partners at the table who don't take part themselves
    lived_experience: int = 0

    @property
    def people(self) -> int:
        return sum(cell.count for cell in self.cells) + self.partner_staff.count

    @property
    def is_gap(self) -> bool:
        return not self.partners and self.people == 0


@dataclass
class SystemMap:
    levels: list[tuple[str, str]]
    rows: list[MapRow]
    lived_experience: int
    total_people: int

    @property
    def gaps(self) -> list[MapRow]:
        return [row for row in self.rows if row.is_gap]


def system_map(initiative: Initiative, view: PeopleView) -> SystemMap:
    """Who is at the table, by sector × engagement level, and which sectors nobody speaks for.

    Counts include everyone; names are shown only to those who may see them.
    """
    levels = list(EngagementLevel.choices)
    level_index = {value: i for i, (value, _label) in enumerate(levels)}
    rows = {
        value: MapRow(
            sector=value,
            label=label,
            partners=[],
            cells=[MapCell() for _ in levels],
            partner_staff=MapCell(),
        )
        for value, label in Sector.choices
    }
    partner_ids = set()
    for link in (
        InitiativePartner.objects.filter(initiative=initiative)
        .select_related("partner")
        .order_by("partner__name")
    ):
        if link.partner_id in partner_ids:
            continue
        partner_ids.add(link.partner_id)
        rows[link.partner.sector].partners.append(link.partner.name)

    # Plain tuples, not model instances: a big table has thousands of people on its map.
    person = ("partner_id", "sector", "lived_experience", "first_name", "last_name")

    def place(cell: MapCell, row: MapRow, partner_id, lived, first, last) -> int:
        cell.count += 1
        if view.sees_staff_of(partner_id):
            cell.names.append(f"{first} {last}".strip())  # Contact.full_name
        if lived:
            row.lived_experience += 1
            return 1
        return 0

    participating = set()
    lived = 0
    taking_part = Participation.objects.filter(initiative=initiative).values_list(
        "contact_id", *(f"contact__{name}" for name in person), "level"
    )
    for contact_id, partner_id, sector, lived_experience, first, last, level in taking_part:
        participating.add(contact_id)
        row = rows[sector]
        cell = row.cells[level_index[level]]
        lived += place(cell, row, partner_id, lived_experience, first, last)
    for partner_id, sector, lived_experience, first, last in (
        Contact.objects.filter(
            organization_id=initiative.organization_id, partner_id__in=partner_ids
        )
        .exclude(pk__in=participating)
        .values_list(*person)
    ):
        row = rows[sector]
        lived += place(row.partner_staff, row, partner_id, lived_experience, first, last)
    ordered = list(rows.values())
    return SystemMap(
        levels=levels,
        rows=ordered,
        lived_experience=lived,
        total_people=sum(row.people for row in ordered),
    )


def initiative_audience(initiative: Initiative) -> list[int]:
    """User ids told when the initiative publishes (plan adopted, report card issued): the
    roundtable, and the partner users of the partners taking part."""
    partner_ids = InitiativePartner.objects.filter(initiative=initiative).values("partner_id")
    return list(
        Membership.objects.filter(organization_id=initiative.organization_id)
        .filter(
            models.Q(role=Role.ROUNDTABLE)
            | models.Q(role=Role.PARTNER, partner_link__partner_id__in=partner_ids)
        )
        .values_list("user_id", flat=True)
    )
