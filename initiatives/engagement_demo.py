"""Demo engagement: Riverside's people across the spectrum, community conversations at the
library, a kitchen-table event, a bus tour of the east end, partners' commitments with one
answered feedback survey, and stories (one waiting for consent). Northbay a little.

Idempotent: everything is found by a natural key (initiative + title, partner, contact)
before it is made, and the services it calls write each timeline entry once.
"""

import datetime
from decimal import Decimal

from django.utils import timezone

from backbone.demo import DemoWorld
from backbone.models import Organization
from stakeholders.models import Contact, Partner, Sector

from . import engagement_services as services
from .models import (
    Commitment,
    EngagementEvent,
    EngagementLevel,
    EventKind,
    FeedbackSurvey,
    Initiative,
    InitiativePartner,
    PartnerRole,
    Story,
    StoryFeature,
)

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


def _at(day: datetime.date, hour: int, minute: int = 0) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))


def _event(initiative: Initiative, title: str, **fields) -> EngagementEvent:
    found = EngagementEvent.objects.filter(initiative=initiative, title=title).first()
    return found or services.event_create(initiative=initiative, title=title, **fields)


def _participants(initiative: Initiative, contacts: list[Contact]) -> None:
    for i, contact in enumerate(contacts):
        level = LEVEL_CYCLE[i % len(LEVEL_CYCLE)]
        services.participation_add(
            initiative=initiative,
            contact=contact,
            roles=ROLE_CYCLE[i % len(ROLE_CYCLE)],
            level=level,
        )


def _signer(partner: Partner) -> Contact | None:
    return Contact.objects.filter(partner=partner).order_by("id").first()


def _commit(initiative: Initiative, partner: Partner, role: str, **fields) -> Commitment | None:
    found = Commitment.objects.filter(initiative=initiative, partner=partner).first()
    if found:
        return found
    signer = _signer(partner)
    if signer is None:
        return None
    InitiativePartner.objects.get_or_create(
        organization=initiative.organization, initiative=initiative, partner=partner, role=role
    )
    return services.commitment_create(
        initiative=initiative, partner=partner, signed_by=signer, role=role, **fields
    )


def _story(initiative: Initiative, title: str, text: str, featured, *, consent: bool) -> None:
    if Story.objects.filter(initiative=initiative, title=title).exists():
        return
    story = services.story_create(initiative=initiative, title=title, text=text, featured=featured)
    if consent:
        for feature in StoryFeature.objects.filter(story=story):
            services.story_consent_set(feature=feature, given=True)
        services.story_publish(story=story)


def _riverside(org: Organization, today: datetime.date) -> None:
    poverty = Initiative.objects.filter(
        organization=org, name="Poverty Reduction Roundtable"
    ).first()
    early = Initiative.objects.filter(
        organization=org, name="Ready for School: Early Years Partnership"
    ).first()
    if poverty is None or early is None:
        return
    contacts = list(Contact.objects.filter(organization=org).order_by("id"))
    if not contacts:
        return
    _participants(poverty, contacts[:24])
    _participants(early, [c for c in contacts if c.sector != Sector.BUSINESS][20:32])

    events = [
        (poverty, EventKind.COMMUNITY_CONVERSATION, "Community conversation at the Central Library",
         "Central Library, meeting room B", 70, 18, contacts[0:14]),
        (poverty, EventKind.COMMUNITY_CONVERSATION, "Community conversation at the East End branch",
         "East End Library branch", 45, 18, contacts[10:22]),
        (poverty, EventKind.KITCHEN_TABLE, "Kitchen-table conversation on Elm Street",
         "A resident's kitchen, Elm Street", 30, 19, contacts[20:26]),
        (poverty, EventKind.TOUR, "Bus tour of the east-end neighbourhood",
         "Leaves from City Hall", 21, 10, contacts[3:11]),
        (poverty, EventKind.LEARNING_EVENT, "Learning event: what is collective impact?",
         "Riverside Community Foundation boardroom", 90, 12, contacts[0:9]),
        (poverty, EventKind.BIG_EVENT, "Community summit on poverty",
         "Riverside Convention Centre", -20, 9, []),
        (early, EventKind.KITCHEN_TABLE, "Parents' kitchen-table evening",
         "Early Years Family Centre", 14, 18, contacts[24:31]),
    ]  # fmt: skip
    for initiative, kind, title, place, days_ago, hour, came in events:
        event = _event(
            initiative,
            title,
            kind=kind,
            starts_at=_at(today - datetime.timedelta(days=days_ago), hour, 30),
            place=place,
        )
        if days_ago > 0:
            for contact in came:
                services.attendance_record(event=event, contact=contact)

    partners = {p.name: p for p in Partner.objects.filter(organization=org)}
    year_ago = today - datetime.timedelta(days=330)
    commitments = [
        ("United Way Riverside", PartnerRole.FUNDER,
         {"money": Decimal("100000"), "in_kind": "Office space for the backbone team"}),
        ("Riverside Community Foundation", PartnerRole.SPONSOR,
         {"money": Decimal("50000"), "staff_hours": Decimal("16")}),
        ("Riverside Community Food Bank", PartnerRole.PARTNER,
         {"staff_hours": Decimal("8"), "in_kind": "Food for community conversations"}),
        ("Riverside Public Library", PartnerRole.PARTNER,
         {"in_kind": "Meeting rooms at every branch"}),
        ("Confluence Credit Union", PartnerRole.CHAMPION,
         {"money": Decimal("10000"), "staff_hours": Decimal("4")}),
    ]  # fmt: skip
    first = None
    for name, role, resources in commitments:
        partner = partners.get(name)
        if partner is None:
            continue
        commitment = _commit(
            poverty,
            partner,
            role,
            signed_on=year_ago,
            renewal_on=year_ago + datetime.timedelta(days=365),
            **resources,
        )
        first = first or commitment
    if first is not None and not FeedbackSurvey.objects.filter(commitment=first).exists():
        survey = FeedbackSurvey.objects.create(
            organization=org,
            commitment=first,
            sent_to=first.signed_by,
            expires_at=timezone.now() + services.SURVEY_VALID_FOR,
        )
        services.survey_answer(
            survey=survey,
            answers={
                "activities": "Funded the backbone team and hosted two community conversations.",
                "collaboration_increased": "yes",
                "collaboration_examples": "The food bank and the tax clinic now refer families "
                "to each other.",
                "resources_committed": "$100,000 next year and the office space.",
                "work_differently": "Our grants now ask applicants which shared indicator they "
                "move.",
                "suggestions": "Share the data earlier so partners can plan.",
            },
        )

    with_lived = [c for c in contacts if c.lived_experience]
    _story(
        poverty,
        "From the kitchen table to the roundtable",
        "After the kitchen-table conversation on Elm Street, two residents joined the "
        "**leadership roundtable** as people with lived experience of poverty.",
        with_lived[:2],
        consent=True,
    )
    _story(
        poverty,
        "A tax clinic that found $1.2 million",
        "Volunteers filed returns for 800 families, who received benefits they were owed.",
        with_lived[2:3],
        consent=True,
    )
    _story(
        poverty,
        "Riding the bus with the city's planners",
        "The neighbourhood tour showed planners the 40-minute trip to the nearest grocery store.",
        with_lived[3:4],
        consent=False,  # waiting for consent: not published
    )
    _story(
        early,
        "Parents set the agenda",
        "At the first kitchen-table evening, parents named **childcare near transit** as the "
        "first thing to fix.",
        [],
        consent=True,
    )


def _northbay(org: Organization, today: datetime.date) -> None:
    initiative = Initiative.objects.filter(
        organization=org, name="Northbay Food Security Network"
    ).first()
    contacts = list(Contact.objects.filter(organization=org).order_by("id"))
    if initiative is None or not contacts:
        return
    _participants(initiative, contacts[:5])
    event = _event(
        initiative,
        "Community conversation at the harbour hall",
        kind=EventKind.COMMUNITY_CONVERSATION,
        starts_at=_at(today - datetime.timedelta(days=12), 18),
        place="Harbour hall",
    )
    for contact in contacts[:4]:
        services.attendance_record(event=event, contact=contact)


def seed(world: DemoWorld) -> None:
    today = timezone.localdate()
    _riverside(world.organizations["riverside"], today)
    _northbay(world.organizations["northbay"], today)
    world.lines.append(
        "Engagement: Poverty Reduction Roundtable has people across the spectrum, events with "
        "attendance, commitments (United Way answered its feedback survey) and a story "
        "waiting for consent."
    )
