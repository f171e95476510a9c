"""Demo initiatives: Riverside runs two (a poverty roundtable well into its first year and a
young early-childhood effort); Northbay is exploring one.

Reads like the seeds: Des Moines' year one (a leadership roundtable, a listening team, a
data team, action teams) and Vibrant Communities' funding stages. Idempotent: an
initiative that exists already is left as it is; contacts and partners are found by
e-mail and name so they merge with the registry's own demo.
"""

import datetime
from decimal import Decimal

from django.utils import timezone

from backbone.demo import DemoWorld
from backbone.models import Organization
from stakeholders.models import Contact, Partner, Sector
from stakeholders.selectors import partner_of

from .. import services
from ..models import (
    Component,
    FundingKind,
    FundingStatus,
    Initiative,
    InitiativePartner,
    PartnerRole,
    Phase,
    PhaseTransition,
    ReadinessItem,
    RiskLevel,
    TeamKind,
    WorkStatus,
)
from .commitments import seed_commitments
from .events import seed_events
from .people import seed_people
from .reflections import seed_reflections
from .stories import seed_stories

CONTACTS = {
    # key: (e-mail, first name, last name, sector)
    "rosa": ("rosa.delgado@riverside-cf.example", "Rosa", "Delgado", Sector.FUNDER),
    "tom": ("tom.nakamura@riverside.example", "Tom", "Nakamura", Sector.GOVERNMENT),
    "ada": ("ada.lincoln@unitedway-riverside.example", "Ada", "Lincoln", Sector.NON_PROFIT),
    "joseph": ("joseph.redsky@example.org", "Joseph", "Redsky", Sector.COMMUNITY),
    "mei": ("mei.chen@riverside-library.example", "Mei", "Chen", Sector.EDUCATION),
    "grace": ("grace.obi@riverside-health.example", "Grace", "Obi", Sector.HEALTH),
}

PARTNERS = {
    "foundation": ("Riverside Community Foundation", Sector.FUNDER),
    "united_way": ("United Way Riverside", Sector.FUNDER),
    "city": ("City of Riverside Social Services", Sector.GOVERNMENT),
    "chamber": ("Riverside Chamber of Commerce", Sector.BUSINESS),
}


def _partner(organization: Organization, name: str, sector: str) -> Partner:
    found = Partner.objects.filter(organization=organization, name__iexact=name).first()
    return found or Partner.objects.create(organization=organization, name=name, sector=sector)


def _contact(organization: Organization, email: str, first: str, last: str, sector: str):
    found = Contact.objects.filter(organization=organization, email__iexact=email).first()
    return found or Contact.objects.create(
        organization=organization, email=email, first_name=first, last_name=last, sector=sector
    )


def _after(start: datetime.date, days: int) -> datetime.date:
    return start + datetime.timedelta(days=days)


def _tick(initiative: Initiative, phase: str, *, count: int | None, on: datetime.date, by) -> None:
    """Tick the first `count` items of each component in a phase (all when None)."""
    for component in Component.values:
        items = ReadinessItem.objects.filter(
            initiative=initiative, phase=phase, component=component
        ).order_by("position")
        for item in list(items)[:count]:
            services.readiness_item_tick(
                item=item, by=by, done_on=on, evidence="Minutes of the roundtable"
            )


def _advance(initiative: Initiative, to_phase: str, *, on: datetime.date, by, **change) -> None:
    """Move the initiative to `to_phase` as it happened on the day `on`: demo history happened
    over the past months, not all at the moment of seeding."""
    moved = services.initiative_change_phase(
        initiative=initiative, to_phase=to_phase, by=by, **change
    )
    at = datetime.datetime.combine(on, datetime.time(10, 0), tzinfo=datetime.UTC)
    PhaseTransition.objects.filter(pk=moved.pk).update(at=at)


def seed(world: DemoWorld) -> None:
    today = timezone.localdate()
    riverside = world.organizations["riverside"]
    coordinator = world.users["coordinator@riverside.example"]
    people = {key: _contact(riverside, *value) for key, value in CONTACTS.items()}
    partners = {key: _partner(riverside, *value) for key, value in PARTNERS.items()}

    if not Initiative.objects.filter(
        organization=riverside, name="Poverty Reduction Roundtable"
    ).exists():
        _poverty_roundtable(riverside, coordinator, people, partners, today)
    if not Initiative.objects.filter(
        organization=riverside, name="Ready for School: Early Years Partnership"
    ).exists():
        _ready_by_five(riverside, coordinator, people, partners, today)

    taking_part = [
        ("Poverty Reduction Roundtable", "foundation", PartnerRole.SPONSOR),
        ("Poverty Reduction Roundtable", "united_way", PartnerRole.FUNDER),
        ("Poverty Reduction Roundtable", "city", PartnerRole.PARTNER),
        ("Poverty Reduction Roundtable", "chamber", PartnerRole.CHAMPION),
        ("Ready for School: Early Years Partnership", "united_way", PartnerRole.FUNDER),
    ]
    for name, key, role in taking_part:
        InitiativePartner.objects.get_or_create(
            organization=riverside,
            initiative=Initiative.objects.get(organization=riverside, name=name),
            partner=partners[key],
            role=role,
        )

    partner_user = world.users.get("partner@riverside.example")
    if partner_user is not None:
        membership = partner_user.memberships.get(organization=riverside)
        partner = partner_of(membership)
        if partner is not None:
            for initiative in Initiative.objects.filter(organization=riverside):
                InitiativePartner.objects.get_or_create(
                    organization=riverside,
                    initiative=initiative,
                    partner=partner,
                    role=PartnerRole.PARTNER,
                )

    northbay = world.organizations["northbay"]
    if not Initiative.objects.filter(
        organization=northbay, name="Northbay Food Security Network"
    ).exists():
        initiative = services.initiative_create(
            organization=northbay,
            name="Northbay Food Security Network",
            issue="Too many Northbay families do not have enough good food",
            geography="Northbay and the three harbour townships",
            start_date=datetime.date(2026, 3, 1),
            description="A small core team is exploring whether collective impact fits.",
        )
        _tick(
            initiative, Phase.PRE_LAUNCH, count=1, on=today - datetime.timedelta(days=20), by=None
        )

    seed_people(world, today)
    seed_events(world, today)
    seed_commitments(world, today)
    seed_stories(world, today)
    seed_reflections(world, today)
    world.lines.append(
        "Engagement: Poverty Reduction Roundtable has people across the spectrum, events with "
        "attendance, commitments (United Way answered its feedback survey) and a story "
        "waiting for consent."
    )


def _poverty_roundtable(org, coordinator, people, partners, today) -> None:
    start = datetime.date(2025, 1, 15)
    initiative = services.initiative_create(
        organization=org,
        name="Poverty Reduction Roundtable",
        issue="One in six Riverside households lives below the poverty line",
        geography="City of Riverside",
        start_date=start,
        description=(
            "Business, government, non-profits and people with lived experience of poverty "
            "working on one common agenda: fewer households in poverty within ten years."
        ),
    )
    _tick(initiative, Phase.PRE_LAUNCH, count=None, on=_after(start, 60), by=coordinator)
    _advance(
        initiative,
        Phase.INITIATE_ACTION,
        on=_after(start, 75),
        by=coordinator,
        note="The core team agreed there is consensus and urgency to move forward.",
    )
    _tick(initiative, Phase.INITIATE_ACTION, count=1, on=_after(start, 150), by=coordinator)
    _advance(
        initiative,
        Phase.ORGANIZE_FOR_IMPACT,
        on=_after(start, 200),
        by=coordinator,
        note="Steering committee formed; the preliminary common agenda goes to the community.",
        confirm_open_items=True,
    )
    _tick(
        initiative,
        Phase.ORGANIZE_FOR_IMPACT,
        count=1,
        on=today - datetime.timedelta(days=20),
        by=coordinator,
    )

    deliverables = list(initiative.deliverables.order_by("position"))
    states = [
        (
            WorkStatus.DONE,
            people["joseph"],
            "42 community conversations and 6 kitchen-table events.",
        ),
        (WorkStatus.IN_PROGRESS, people["ada"], "Draft common agenda, version 3."),
        (WorkStatus.IN_PROGRESS, people["tom"], ""),
        (WorkStatus.NOT_STARTED, people["rosa"], ""),
        (WorkStatus.IN_PROGRESS, people["rosa"], "Two of three funders have pledged."),
    ]
    for deliverable, (status, owner, evidence) in zip(deliverables, states, strict=True):
        services.deliverable_update(
            deliverable=deliverable, status=status, owner=owner, evidence=evidence
        )

    for title, lead, due_in_days, status, deliverable in [
        ("Map the system we want to engage", people["ada"], -40, WorkStatus.DONE, 2),
        (
            "Invite system leaders to join the roundtable",
            people["rosa"],
            -10,
            WorkStatus.IN_PROGRESS,
            2,
        ),
        (
            "Share the poverty data sheet with every partner",
            people["mei"],
            -3,
            WorkStatus.NOT_STARTED,
            1,
        ),
        ("Hold the spring community conversation", people["joseph"], 4, WorkStatus.IN_PROGRESS, 0),
        (
            "Draft the governance model for the roundtable",
            people["tom"],
            25,
            WorkStatus.NOT_STARTED,
            3,
        ),
        (
            "Send the weekly newsletter to everyone we met",
            people["grace"],
            6,
            WorkStatus.IN_PROGRESS,
            0,
        ),
    ]:
        services.action_item_add(
            initiative=initiative,
            title=title,
            lead=lead,
            due_date=today + datetime.timedelta(days=due_in_days),
            status=status,
            deliverable=deliverables[deliverable],
        )

    teams = [
        (
            TeamKind.LEADERSHIP_ROUNDTABLE,
            "Leadership roundtable",
            people["rosa"],
            14,
            "Holds the common agenda and makes the plan live.",
            [("rosa", "Sponsor seat"), ("tom", "City"), ("joseph", "Lived experience")],
        ),
        (
            TeamKind.LISTENING_TEAM,
            "Listening team",
            people["joseph"],
            None,
            "Hears from people living in poverty: kitchen-table events and community conversations.",
            [("joseph", ""), ("grace", "")],
        ),
        (
            TeamKind.DATA_TEAM,
            "Data team",
            people["mei"],
            6,
            "Finds relevant and obscure data and discusses it with everyone.",
            [("mei", "Library"), ("ada", "United Way")],
        ),
        (
            TeamKind.ACTION_TEAM,
            "Action team: income and jobs",
            people["ada"],
            None,
            "Living wage employers and first jobs for young people.",
            [("ada", "")],
        ),
        (
            TeamKind.ACTION_TEAM,
            "Action team: housing",
            people["tom"],
            None,
            "Affordable homes near transit.",
            [("tom", "")],
        ),
    ]
    for kind, name, chair, seats, purpose, members in teams:
        team = services.team_add(
            initiative=initiative,
            kind=kind,
            name=name,
            chair=chair,
            seats=seats,
            purpose=purpose,
            charter=(
                "Who does what: the chair convenes, backbone staff take notes and follow up.\n\n"
                "Outcomes: a shared view of the problem and one next step each month.\n\n"
                "How we work together: we start on time, we speak from experience, we decide by consent."
            ),
        )
        for key, seat in members:
            services.team_member_add(team=team, contact=people[key], seat=seat)
    services.sponsor_set(initiative=initiative, sponsor=partners["foundation"], sponsor_seats=2)

    for description, likelihood, impact, owner, mitigation in [
        (
            "Funders pull back before the plan is adopted",
            RiskLevel.MEDIUM,
            RiskLevel.HIGH,
            "rosa",
            "Bring funders to the roundtable early; show the open budget every quarter.",
        ),
        (
            "People with lived experience stop coming",
            RiskLevel.HIGH,
            RiskLevel.HIGH,
            "joseph",
            "Pay honoraria and childcare; hold meetings in the neighbourhoods.",
        ),
        (
            "Partners' data arrives late or not at all",
            RiskLevel.HIGH,
            RiskLevel.MEDIUM,
            "mei",
            "Data team visits each partner; one data sheet per quarter.",
        ),
        (
            "The city election changes council priorities",
            RiskLevel.LOW,
            RiskLevel.MEDIUM,
            "tom",
            "Brief every candidate on the common agenda.",
        ),
    ]:
        services.risk_add(
            initiative=initiative,
            description=description,
            likelihood=likelihood,
            impact=impact,
            owner=people[owner],
            mitigation=mitigation,
        )

    year = start.year
    for funder, description, amount, first, last, status, kind in [
        (
            "foundation",
            "to explore and build community will",
            "5000",
            year,
            year,
            FundingStatus.RECEIVED,
            FundingKind.CASH,
        ),
        (
            "foundation",
            "to build a plan",
            "20000",
            year,
            year,
            FundingStatus.RECEIVED,
            FundingKind.CASH,
        ),
        (
            "united_way",
            "matching, five years",
            "100000",
            year + 1,
            year + 5,
            FundingStatus.PLEDGED,
            FundingKind.CASH,
        ),
        (
            "city",
            "meeting rooms and a data analyst's time",
            "15000",
            year,
            year + 2,
            FundingStatus.RECEIVED,
            FundingKind.IN_KIND,
        ),
        (
            "chamber",
            "coaching and learning support",
            "50000",
            year + 1,
            year + 2,
            FundingStatus.PLEDGED,
            FundingKind.CASH,
        ),
    ]:
        services.funding_commitment_add(
            initiative=initiative,
            funder=partners[funder],
            description=description,
            amount=Decimal(amount),
            currency="CAD",
            first_year=first,
            last_year=last,
            status=status,
            kind=kind,
        )


def _ready_by_five(org, coordinator, people, partners, today) -> None:
    start = datetime.date(2025, 9, 1)
    initiative = services.initiative_create(
        organization=org,
        name="Ready for School: Early Years Partnership",
        issue="Too few Riverside children start kindergarten ready to learn",
        geography="Riverside east end",
        start_date=start,
        description="Early childhood educators, the library and the health unit, with parents.",
    )
    _tick(initiative, Phase.PRE_LAUNCH, count=1, on=_after(start, 40), by=coordinator)
    _advance(
        initiative,
        Phase.INITIATE_ACTION,
        on=_after(start, 60),
        by=coordinator,
        note="Parents asked us not to wait: we start and keep listening.",
        confirm_open_items=True,
    )
    deliverable = initiative.deliverables.order_by("position").first()
    services.deliverable_update(
        deliverable=deliverable, status=WorkStatus.IN_PROGRESS, owner=people["grace"]
    )
    services.action_item_add(
        initiative=initiative,
        title="Identify champions among east-end parents",
        lead=people["grace"],
        due_date=today - datetime.timedelta(days=5),
        status=WorkStatus.IN_PROGRESS,
    )
    services.action_item_add(
        initiative=initiative,
        title="Tour the library's early-literacy program with the steering committee",
        lead=people["mei"],
        due_date=today + datetime.timedelta(days=12),
    )
    services.team_add(
        initiative=initiative,
        kind=TeamKind.STEERING_COMMITTEE,
        name="Steering committee",
        chair=people["grace"],
        seats=9,
        purpose="Cross-sector steering committee forming the preliminary common agenda.",
    )
    services.risk_add(
        initiative=initiative,
        description="Childcare operators are too stretched to take part",
        likelihood=RiskLevel.MEDIUM,
        impact=RiskLevel.MEDIUM,
        owner=people["grace"],
        mitigation="Meet them at their centres, after hours.",
    )
    services.funding_commitment_add(
        initiative=initiative,
        funder=partners["united_way"],
        description="to explore and build community will",
        amount=Decimal("5000"),
        currency="CAD",
        first_year=start.year,
        last_year=start.year,
        status=FundingStatus.PLEDGED,
        kind=FundingKind.CASH,
    )
