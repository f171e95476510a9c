"""The French demo organization, « Collectif Rivière-du-Nord »: its people read Backbone in
French (organization language fr) and its data is written in French, as a Quebec table de
concertation writes it: a food-security initiative in phase II with its readiness matrix
and deliverables (created in French), partners, contacts (one reads the newsletter in
English), a roundtable, risks, two indicators with approved data and one value waiting
for approval, a glossary term, and an adopted plan.

Called by `plans.demo.seed` (plans is the top layer: it may use every app's services).
Idempotent: the initiative is built once; people and partners are found by natural key.
"""

import datetime
from decimal import Decimal

from django.utils import timezone, translation

from backbone.demo import DemoWorld
from backbone.models import Membership
from initiatives import services as initiatives
from initiatives.models import (
    EngagementLevel,
    Initiative,
    InitiativePartner,
    ParticipantRole,
    PartnerRole,
    Phase,
    RiskLevel,
    TeamKind,
    WorkStatus,
)
from measures.models import DataPoint, DataRequest, GlossaryTerm, Indicator, Target
from stakeholders.models import ConsentStatus, Contact, Partner, PartnerMembership, Sector

from .models import PlanVersion
from .services import plan as services

SLUG = "riviere-du-nord"
INITIATIVE = "Table de concertation en sécurité alimentaire"

PARTNERS = {
    "centraide": ("Centraide Laurentides", Sector.FUNDER),
    "ville": ("Ville de Saint-Jérôme — Développement social", Sector.GOVERNMENT),
    "banque": ("Banque alimentaire Rivière-du-Nord", Sector.NON_PROFIT),
    "cisss": ("CISSS des Laurentides — Santé publique", Sector.HEALTH),
    "css": ("Centre de services scolaire de la Rivière-du-Nord", Sector.EDUCATION),
}

CONTACTS = {
    # key: (e-mail, first name, last name, partner, sector, language)
    "louise": ("louise.cote@centraide-laurentides.example", "Louise", "Côté", "centraide", Sector.FUNDER, "fr"),
    "marc": ("marc.ouellet@saint-jerome.example", "Marc", "Ouellet", "ville", Sector.GOVERNMENT, "fr"),
    "nathalie": ("nathalie.roy@banque-rdn.example", "Nathalie", "Roy", "banque", Sector.NON_PROFIT, "fr"),
    "karim": ("karim.benali@cisss-laurentides.example", "Karim", "Benali", "cisss", Sector.HEALTH, ""),
    "josee": ("josee.lavoie@css-rdn.example", "Josée", "Lavoie", "css", Sector.EDUCATION, "fr"),
    "denise": ("denise.charbonneau@example.org", "Denise", "Charbonneau", None, Sector.COMMUNITY, ""),
    "emily": ("emily.walsh@example.org", "Emily", "Walsh", None, Sector.COMMUNITY, "en"),
}  # fmt: skip

# name, definition, unit, decimals, direction, level, frequency, source, reporter,
# baseline, target (value, date), values by period (the last one waits for approval)
INDICATORS = [
    (
        "Ménages en situation d'insécurité alimentaire",
        "Part des ménages sondés qui ont manqué de nourriture ou craint d'en manquer faute "
        "d'argent au cours des 12 derniers mois.",
        "percent", 1, "down", "population", "annual",
        "Enquête régionale de santé publique", "cisss",
        "14.9", ("11.0", "2029-12-31"),
        {"2023": "14.9", "2024": "14.2", "2025": "13.6"},
    ),
    (
        "Paniers de nourriture distribués",
        "Paniers d'urgence remis pendant le trimestre, tous points de service confondus.",
        "number", 0, "up", "performance", "quarterly",
        "Registres de distribution de la banque alimentaire", "banque",
        "4200", ("5000", "2027-12-31"),
        {"2025-Q3": "4310", "2025-Q4": "4625", "2026-Q1": "4480", "2026-Q2": "4790",
         "2026-Q3": "4955"},
    ),
]  # fmt: skip

SECTIONS = {
    "executive_summary": (
        "La **Table de concertation en sécurité alimentaire** réunit une trentaine "
        "d'organismes communautaires, la Ville, la santé publique, le milieu scolaire et des "
        "personnes ayant une expérience vécue de l'insécurité alimentaire autour d'un "
        "programme commun : qu'aucune famille de la Rivière-du-Nord ne manque de nourriture."
    ),
    "change": (
        "Nous voulons voir baisser de 14,9 % à 11 % la part des ménages en situation "
        "d'insécurité alimentaire d'ici 2029, en agissant sur le revenu, l'accès et la "
        "dignité de l'aide alimentaire."
    ),
    "now": (
        "Les besoins ont augmenté de 30 % depuis 2022. Les organismes travaillent fort, mais "
        "chacun de son côté : l'organisme de soutien aide la table à mesurer ensemble et à "
        "coordonner ses actions."
    ),
    "governance": (
        "La table de concertation adopte le plan et suit les indicateurs deux fois par année. "
        "Le Collectif Rivière-du-Nord agit comme organisme de soutien (backbone) : animation, "
        "mesure partagée, communication continue."
    ),
}


def seed(world: DemoWorld) -> None:
    organization = world.organizations.get(SLUG)
    if organization is None:
        return
    coordinator = world.users["coordination@riviere-du-nord.example"]
    partner_user = world.users["partenaire@riviere-du-nord.example"]
    partners = {
        key: Partner.objects.get_or_create(
            organization=organization, name=name, defaults={"sector": sector}
        )[0]
        for key, (name, sector) in PARTNERS.items()
    }
    people = {}
    for key, (email, first, last, partner, sector, language) in CONTACTS.items():
        people[key], created = Contact.objects.get_or_create(
            organization=organization,
            email=email,
            defaults={
                "first_name": first,
                "last_name": last,
                "partner": partners.get(partner),
                "sector": sector,
                "language": language,
                "lived_experience": key == "denise",
            },
        )
        if created and key != "karim":
            Contact.objects.filter(pk=people[key].pk).update(
                consent=ConsentStatus.GIVEN, consent_changed_at=timezone.now()
            )
    PartnerMembership.objects.get_or_create(
        membership=Membership.objects.get(user=partner_user, organization=organization),
        defaults={"organization": organization, "partner": partners["banque"]},
    )
    if not Initiative.objects.filter(organization=organization, name=INITIATIVE).exists():
        # The readiness matrix and deliverables every initiative starts with are written in
        # the language active at creation: French here.
        with translation.override("fr"):
            _build(organization, coordinator, people, partners, partner_user)
    world.lines.append(
        "French: « Collectif Rivière-du-Nord » (/o/riviere-du-nord/) is in French; "
        "partenaire@riviere-du-nord.example reports for the Banque alimentaire Rivière-du-Nord."
    )


def _build(organization, coordinator, people, partners, partner_user) -> None:
    today = timezone.localdate()
    start = datetime.date(2025, 9, 8)
    initiative = initiatives.initiative_create(
        organization=organization,
        name=INITIATIVE,
        issue="Une famille sur sept de la Rivière-du-Nord manque de nourriture",
        geography="MRC de La Rivière-du-Nord",
        start_date=start,
        description=(
            "Organismes communautaires, Ville, santé publique, milieu scolaire et personnes "
            "ayant une expérience vécue travaillent sur un programme commun pour un accès "
            "digne à une alimentation saine."
        ),
    )
    for item in initiative.readiness_items.filter(phase=Phase.PRE_LAUNCH):
        initiatives.readiness_item_tick(
            item=item, by=coordinator, done_on=start + datetime.timedelta(days=50),
            evidence="Procès-verbal de la table de concertation",
        )  # fmt: skip
    initiatives.initiative_change_phase(
        initiative=initiative,
        to_phase=Phase.INITIATE_ACTION,
        by=coordinator,
        note="Le noyau a constaté un consensus et l'urgence d'agir.",
    )
    for key, role in [
        ("centraide", PartnerRole.FUNDER),
        ("ville", PartnerRole.PARTNER),
        ("banque", PartnerRole.PARTNER),
        ("cisss", PartnerRole.CHAMPION),
        ("css", PartnerRole.PARTNER),
    ]:
        InitiativePartner.objects.get_or_create(
            organization=organization, initiative=initiative, partner=partners[key], role=role
        )
    for key, roles, level in [
        ("louise", [ParticipantRole.ROUNDTABLE], EngagementLevel.COLLABORATE),
        ("marc", [ParticipantRole.ROUNDTABLE], EngagementLevel.INVOLVE),
        ("nathalie", [ParticipantRole.WORK_GROUP], EngagementLevel.COLLABORATE),
        ("denise", [ParticipantRole.AMBASSADOR], EngagementLevel.INVOLVE),
        ("emily", [ParticipantRole.VOLUNTEER], EngagementLevel.CONSULT),
    ]:
        initiatives.participation_add(
            initiative=initiative, contact=people[key], roles=roles, level=level, by=coordinator
        )
    team = initiatives.team_add(
        initiative=initiative,
        kind=TeamKind.LEADERSHIP_ROUNDTABLE,
        name="Table de concertation",
        chair=people["louise"],
        seats=12,
        purpose="Porte le programme commun et fait vivre le plan.",
        charter=(
            "Qui fait quoi : la présidence convoque, l'organisme de soutien prend les notes "
            "et assure le suivi.\n\nNous décidons par consentement."
        ),
    )
    for key, seat in [
        ("louise", "Bailleur de fonds"),
        ("marc", "Ville"),
        ("denise", "Expérience vécue"),
    ]:
        initiatives.team_member_add(team=team, contact=people[key], seat=seat)
    for title, lead, days, status in [
        (
            "Cartographier les points de distribution alimentaire",
            "nathalie",
            -5,
            WorkStatus.IN_PROGRESS,
        ),
        (
            "Tenir trois conversations communautaires dans les quartiers",
            "denise",
            6,
            WorkStatus.NOT_STARTED,
        ),
        ("Adopter les indicateurs de la mesure partagée", "karim", 30, WorkStatus.IN_PROGRESS),
    ]:
        initiatives.action_item_add(
            initiative=initiative, title=title, lead=people[lead],
            due_date=today + datetime.timedelta(days=days), status=status,
        )  # fmt: skip
    initiatives.risk_add(
        initiative=initiative,
        description="Les bénévoles de la distribution s'épuisent pendant l'hiver.",
        likelihood=RiskLevel.HIGH,
        impact=RiskLevel.MEDIUM,
        owner=people["nathalie"],
        mitigation="Recruter avec le centre d'action bénévole et alterner les quarts.",
    )
    initiatives.event_create(
        initiative=initiative,
        kind="community_conversation",
        title="Conversation communautaire : manger à sa faim à Saint-Jérôme",
        starts_at=timezone.now() + datetime.timedelta(days=9),
        place="Bibliothèque municipale de Saint-Jérôme",
    )
    _indicators(organization, initiative, partners, coordinator, partner_user)
    GlossaryTerm.objects.get_or_create(
        organization=organization,
        initiative=initiative,
        term="Insécurité alimentaire",
        defaults={
            "meaning": "Accès inadéquat ou incertain aux aliments, faute de ressources financières."
        },
    )
    plan = services.plan_start(initiative=initiative)
    first = PlanVersion.objects.get(plan=plan, number=1)
    for key, body in SECTIONS.items():
        services.section_update(version=first, key=key, body=body)
    services.goal_create(
        version=first,
        title="Un accès digne à une alimentation saine",
        description="Moins de ménages en situation d'insécurité alimentaire d'ici 2029.",
    )
    services.version_adopt(
        version=first,
        adopted_on=datetime.date(2026, 6, 10),
        adopted_by_body="Table de concertation",
        user=coordinator,
    )


def _indicators(organization, initiative, partners, coordinator, partner_user) -> None:
    for row in INDICATORS:
        name, definition, unit, dp, direction, level, frequency = row[:7]
        source, reporter, baseline, (target, by), values = row[7:]
        indicator = Indicator.objects.create(
            organization=organization,
            initiative=initiative,
            name=name,
            definition=definition,
            unit=unit,
            decimal_places=dp,
            direction=direction,
            level=level,
            frequency=frequency,
            data_source=source,
            baseline_value=Decimal(baseline),
            baseline_date=datetime.date(2023, 12, 31),
            baseline_source=source,
        )
        Target.objects.create(
            organization=organization,
            indicator=indicator,
            value=Decimal(target),
            date=datetime.date.fromisoformat(by),
        )
        partner = partners[reporter]
        DataRequest.objects.create(
            organization=organization, indicator=indicator, partner=partner, period=""
        )
        periods = list(values)
        for period, value in values.items():
            waiting = frequency == "quarterly" and period == periods[-1]
            DataPoint.objects.create(
                organization=organization,
                indicator=indicator,
                period=period,
                partner=partner,
                cell="",
                value=Decimal(value),
                status=DataPoint.Status.SUBMITTED if waiting else DataPoint.Status.APPROVED,
                updated_by=partner_user if reporter == "banque" else coordinator,
            )
