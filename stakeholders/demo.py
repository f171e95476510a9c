"""Demo registry: Riverside's partners and people across sectors, Northbay's handful.

Idempotent: partners are keyed on (organization, name), contacts on
(organization, e-mail); consents and notes are written once per contact.
"""

from datetime import UTC, datetime, timedelta

from backbone.demo import DemoWorld
from backbone.models import Membership

from .models import (
    CapacityAssessment,
    ConsentRecord,
    ConsentSource,
    ConsentStatus,
    Contact,
    Interaction,
    InteractionKind,
    Partner,
    PartnerMembership,
    Sector,
    Tag,
)
from .services import CONSENT_WORDING, capacity_year

S = Sector

RIVERSIDE_PARTNERS = [
    ("United Way Riverside", S.FUNDER, "https://unitedway-riverside.example"),
    (
        "City of Riverside Social Services",
        S.GOVERNMENT,
        "https://riverside.example/social-services",
    ),
    ("Riverside District School Board", S.EDUCATION, "https://rdsb.example"),
    ("Riverside Public Health", S.HEALTH, "https://riversidehealth.example"),
    ("Riverside Community Food Bank", S.NON_PROFIT, "https://riversidefoodbank.example"),
    ("Confluence Credit Union", S.BUSINESS, "https://confluencecu.example"),
    ("Riverside Community Foundation", S.FUNDER, "https://riversidefoundation.example"),
    ("St. Andrew's United Church", S.FAITH, ""),
    ("Eastbank Residents' Association", S.COMMUNITY, ""),
    ("Early Years Family Centre", S.NON_PROFIT, "https://earlyyears-riverside.example"),
    ("Riverside Chamber of Commerce", S.BUSINESS, "https://riversidechamber.example"),
    ("Newcomer Settlement Services", S.NON_PROFIT, "https://newcomers-riverside.example"),
    ("Riverside Public Library", S.GOVERNMENT, "https://rpl.example"),
    ("Indigenous Friendship Centre", S.COMMUNITY, "https://friendship-riverside.example"),
    ("Riverside Housing Co-operative", S.NON_PROFIT, ""),
]

FIRST = [
    "Aisha", "Ben", "Chloé", "Darnell", "Elena", "Farid", "Grace", "Hiro", "Isabelle", "Jamal",
    "Kateri", "Liam", "Maya", "Noah", "Olivia", "Pierre", "Quinn", "Rosa", "Samir", "Tanya",
]  # fmt: skip
LAST = [
    "Anderson", "Bouchard", "Chen", "Dubois", "Ellis", "Fontaine", "Gill", "Hassan", "Ivanova",
    "Johnson", "Kaur", "Lavoie", "MacDonald", "Nguyen", "Osei", "Patel",
]  # fmt: skip
TAGS = ["early years", "speaker", "roundtable", "newcomer", "youth voice", "data team"]
NOTES = [
    "Met at the kitchen-table conversation in Eastbank; keen to join the listening team.",
    "Asked to be kept informed about the child-care wait-list work.",
    "Offered to host a community conversation at the library branch.",
    "Champion candidate: brings the credit union's financial-literacy program.",
]
NORTHBAY_PARTNERS = [
    ("Northbay Family Services", S.NON_PROFIT, ""),
    ("Town of Northbay", S.GOVERNMENT, ""),
    ("Northbay Fishermen's Co-op", S.BUSINESS, ""),
]
# Dates in the past, fixed, so a second run compares equal.
BASE = datetime(2026, 9, 1, 15, 0, tzinfo=UTC)


def _partners(organization, rows) -> list[Partner]:
    partners = []
    for name, sector, website in rows:
        partner, _ = Partner.objects.get_or_create(
            organization=organization, name=name, defaults={"sector": sector, "website": website}
        )
        partners.append(partner)
    return partners


def _contacts(organization, partners, count: int, domain: str) -> list[Contact]:
    sectors = list(Sector)
    contacts = []
    for i in range(count):
        first, last = FIRST[i % len(FIRST)], LAST[(i * 7) % len(LAST)]
        sector = sectors[i % len(sectors)]
        # Two in three work at a partner of their sector; the others (many of the
        # residents with lived experience) come on their own.
        candidates = [p for p in partners if p.sector == sector]
        partner = candidates[(i // 9) % len(candidates)] if candidates and i % 3 != 1 else None
        email = f"{first.lower()}.{last.lower()}{i}@{domain}".replace("é", "e")
        contact, created = Contact.objects.get_or_create(
            organization=organization,
            email=email,
            defaults={
                "first_name": first,
                "last_name": last,
                "sector": sector,
                "partner": partner,
                "lived_experience": sector == Sector.COMMUNITY or i % 7 == 3,
                "phone": f"613-555-{1000 + i:04d}",
            },
        )
        contacts.append(contact)
    return contacts


def _consent_and_notes(organization, contacts, user) -> None:
    for i, contact in enumerate(contacts):
        if i % 3 != 2 and not ConsentRecord.objects.filter(contact=contact).exists():
            when = BASE + timedelta(days=i)
            ConsentRecord.objects.create(
                organization=organization,
                contact=contact,
                status=ConsentStatus.GIVEN,
                recorded_at=when,
                source=ConsentSource.EVENT if i % 2 else ConsentSource.FORM,
                wording=str(CONSENT_WORDING),
            )
            if i % 11 == 10:
                ConsentRecord.objects.create(
                    organization=organization,
                    contact=contact,
                    status=ConsentStatus.WITHDRAWN,
                    recorded_at=when + timedelta(days=30),
                    source=ConsentSource.UNSUBSCRIBE,
                )
        latest = ConsentRecord.objects.filter(contact=contact).order_by("-recorded_at").first()
        if latest and contact.consent_changed_at != latest.recorded_at:
            Contact.objects.filter(pk=contact.pk).update(
                consent=latest.status, consent_changed_at=latest.recorded_at
            )
        if i % 8 == 0:
            Interaction.objects.get_or_create(
                organization=organization,
                contact=contact,
                kind=InteractionKind.NOTE,
                summary=NOTES[(i // 8) % len(NOTES)],
                defaults={"occurred_at": BASE + timedelta(days=i + 3), "created_by": user},
            )


def _tags(organization, contacts) -> None:
    tags = [Tag.objects.get_or_create(organization=organization, name=name)[0] for name in TAGS]
    for i, contact in enumerate(contacts):
        if i % 4 == 0:
            contact.tags.add(tags[i % len(tags)])


# Capacity self-assessments: (partner, years ago, by the partner itself, five scores
# with comments in the order of CAPACITY_DIMENSIONS).
CAPACITY_ANSWERS = [
    (
        "Riverside Community Food Bank",
        1,
        True,
        [
            (1, "Volunteers keep paper tallies; nobody enters them."),
            (2, "One coordinator, half her week on the warehouse."),
            (2, "Two shared laptops."),
            (3, "We ask at intake; the form is old."),
            (2, ""),
        ],
    ),
    (
        "Riverside Community Food Bank",
        0,
        True,
        [
            (2, "The new intake tablet counts visits; still learning to export."),
            (2, "Still one coordinator."),
            (3, "A tablet and a spreadsheet we trust."),
            (3, ""),
            (3, "We could co-lead the food access strategy with help."),
        ],
    ),
    (
        "Riverside Public Health",
        0,
        False,
        [
            (4, "An epidemiologist shares neighbourhood rates every quarter."),
            (3, ""),
            (4, ""),
            (4, "Ethics review for every data set."),
            (4, "Ready to lead the health outcomes strategy."),
        ],
    ),
    (
        "St. Andrew's United Church",
        0,
        False,
        [
            (1, "No one to collect numbers."),
            (1, "All volunteers."),
            (2, "One office computer."),
            (2, "We never wrote consent down."),
            (2, "We would host, not lead."),
        ],
    ),
]


def _capacity(organization, partners, partner_user, staff) -> None:
    by_name = {partner.name: partner for partner in partners}
    this_year = capacity_year(organization)
    for name, years_ago, by_partner, scores in CAPACITY_ANSWERS:
        fields = {}
        for dimension, (score, comment) in zip(
            ("data_capacity", "staff_time", "technology", "consent_practices", "leadership"),
            scores,
            strict=True,
        ):
            fields[dimension], fields[f"{dimension}_comment"] = score, comment
        CapacityAssessment.objects.get_or_create(
            partner=by_name[name],
            year=this_year - years_ago,
            defaults={
                "organization": organization,
                "answered_by": (user := partner_user if by_partner else staff),
                "answered_by_name": user.display_name if user else "",
                "on_behalf": not by_partner,
                "answered_at": datetime.now(UTC) - timedelta(days=365 * years_ago + 20),
                **fields,
            },
        )


def seed(world: DemoWorld) -> None:
    riverside = world.organizations["riverside"]
    partners = _partners(riverside, RIVERSIDE_PARTNERS)
    contacts = _contacts(riverside, partners, 60, "riverside.example")
    coordinator = world.users.get("coordinator@riverside.example")
    _consent_and_notes(riverside, contacts, coordinator)
    _tags(riverside, contacts)

    partner_user = world.users.get("partner@riverside.example")
    membership = Membership.objects.filter(user=partner_user, organization=riverside).first()
    if membership:
        food_bank = next(p for p in partners if p.name == "Riverside Community Food Bank")
        PartnerMembership.objects.get_or_create(
            membership=membership, defaults={"organization": riverside, "partner": food_bank}
        )
        # The partner user is a person at the food bank too.
        Contact.objects.get_or_create(
            organization=riverside,
            email=partner_user.email,
            defaults={
                "first_name": partner_user.first_name,
                "last_name": partner_user.last_name,
                "sector": Sector.NON_PROFIT,
                "partner": food_bank,
            },
        )

    _capacity(riverside, partners, partner_user, coordinator)

    northbay = world.organizations["northbay"]
    nb_partners = _partners(northbay, NORTHBAY_PARTNERS)
    nb_contacts = _contacts(northbay, nb_partners, 6, "northbay.example")
    _consent_and_notes(northbay, nb_contacts, world.users.get("coordinator@northbay.example"))
    world.lines.append(
        "  partner@riverside.example reports for Riverside Community Food Bank "
        "(sees that partner and its contacts only)."
    )
