"""Demo data of shared measurement: Riverside's indicators with two to three years of
partner data (mostly approved, some awaiting approval, one returned) and Northbay's first.

Idempotent: everything is found or created by a natural key, and history rows are
written only when their data point is first created.
"""

import datetime
from decimal import Decimal

from django.core.files.base import ContentFile
from django.utils import timezone
from django.utils.text import slugify

from backbone.demo import DemoWorld
from backbone.models import Membership
from initiatives.models import Initiative, InitiativePartner
from stakeholders.models import Contact, Partner, PartnerMembership, Sector

from .models import (
    Agreement,
    AgreementKind,
    AgreementStatus,
    CurveStory,
    DataPoint,
    DataPointChange,
    DataRequest,
    GlossaryTerm,
    Indicator,
    IndicatorDefinition,
    IndicatorReview,
    IndicatorVerdict,
    Resolution,
    ReviewDecision,
    SharingPermission,
    Target,
)
from .notices import tell_returned, tell_submitted
from .periods import Period

POVERTY = "Poverty Reduction Roundtable"
READY = "Ready for School: Early Years Partnership"
FOOD = "Northbay Food Security Network"

PARTNERS = {
    "United Way Riverside": Sector.NON_PROFIT,
    "Riverside Community Food Bank": Sector.NON_PROFIT,
    "City of Riverside Social Services": Sector.GOVERNMENT,
    "Riverside Public Health": Sector.HEALTH,
    "Riverside District School Board": Sector.EDUCATION,
    "Riverside Community Foundation": Sector.FUNDER,
}

CHAMPIONS = {
    # e-mail: (first, last, partner)
    "nadia.haddad@riversidefoodbank.example": ("Nadia", "Haddad", "Riverside Community Food Bank"),
    "tom.bergeron@riverside-city.example": ("Tom", "Bergeron", "City of Riverside Social Services"),
    "grace.lin@riversidehealth.example": ("Grace", "Lin", "Riverside Public Health"),
    "owen.clarke@rdsb.example": ("Owen", "Clarke", "Riverside District School Board"),
}

# name, definition, unit, dp, direction, level, frequency, source, champion, reporters,
# baseline, target (value, date), first value, step per period, disaggregation
# fmt: off
INDICATORS = {
    POVERTY: [
        ('Households below the low-income measure', 'Census families and unattached individuals whose after-tax income is below the Low Income Measure (LIM-AT) for their household size.', 'number', 0, 'down', 'population', 'annual', 'Statistics Canada T1 Family File', 'tom.bergeron@riverside-city.example', ['City of Riverside Social Services'], '14200', ('12000', '2028-12-31'), '14200', '-350', {}),
        ('Poverty rate (LIM-AT)', 'Share of residents living below the after-tax Low Income Measure.', 'percent', 1, 'down', 'population', 'annual', 'Statistics Canada T1 Family File', 'tom.bergeron@riverside-city.example', ['Riverside Community Foundation'], '15.8', ('12.0', '2028-12-31'), '15.8', '-0.6', {}),
        ('Residents reporting food insecurity', 'Share of surveyed adults who worried food would run out before there was money to buy more, in the past 12 months.', 'percent', 1, 'down', 'population', 'annual', 'Community Health Survey; Vital Signs survey', 'grace.lin@riversidehealth.example', ['Riverside Public Health', 'Riverside Community Foundation'], '17.5', ('13.0', '2028-12-31'), '17.5', '-0.8', {}),
        ('Households using the food bank each month', 'Distinct households served at least once, averaged over the months of the quarter.', 'number', 0, 'down', 'population', 'quarterly', 'Food bank client intake (Link2Feed)', 'nadia.haddad@riversidefoodbank.example', ['Riverside Community Food Bank'], '3400', ('2900', '2027-12-31'), '3400', '-25', {}),
        ('Food hampers distributed', 'Emergency food hampers handed out in the quarter, all sites.', 'number', 0, 'up', 'performance', 'quarterly', 'Food bank distribution records', 'nadia.haddad@riversidefoodbank.example', ['Riverside Community Food Bank'], '9100', ('10500', '2027-12-31'), '9100', '120', {}),
        ('People helped to file taxes and claim benefits', 'Residents whose returns were filed at free community tax clinics in the quarter.', 'number', 0, 'up', 'performance', 'quarterly', 'Community Volunteer Income Tax Program', None, ['United Way Riverside'], '610', ('900', '2027-12-31'), '610', '25', {'Age group': ['18–29', '30–64', '65+']}),
        ('Benefits unlocked through tax clinics', 'Refunds and benefits (CCB, GST/HST credit, GIS) received by clinic clients, in dollars.', 'currency', 0, 'up', 'performance', 'quarterly', 'Tax clinic follow-up', None, ['United Way Riverside'], '1150000', ('1600000', '2027-12-31'), '1150000', '40000', {}),
        ('Social assistance caseload', 'Ontario Works cases open at the end of the quarter.', 'number', 0, 'down', 'population', 'quarterly', 'City of Riverside Social Services', 'tom.bergeron@riverside-city.example', ['City of Riverside Social Services'], '5200', ('4700', '2027-12-31'), '5200', '-30', {}),
        ('Households on the affordable housing waitlist', 'Households waiting for rent-geared-to-income housing at the end of the quarter.', 'number', 0, 'down', 'population', 'quarterly', 'Centralized waitlist', 'tom.bergeron@riverside-city.example', ['City of Riverside Social Services'], '2650', ('2300', '2027-12-31'), '2650', '12', {}),
        ('Participants completing financial coaching', 'Residents who finished at least four sessions of one-to-one financial coaching.', 'number', 0, 'up', 'performance', 'quarterly', 'Program records', None, ['United Way Riverside', 'Riverside Community Foundation'], '85', ('150', '2027-12-31'), '85', '6', {}),
    ],
    READY: [
        ('Children ready for school at kindergarten', 'Share of senior kindergarten children not vulnerable on any of the five Early Development Instrument (EDI) domains.', 'percent', 1, 'up', 'population', 'annual', 'Early Development Instrument', 'owen.clarke@rdsb.example', ['Riverside District School Board'], '68.0', ('75.0', '2029-06-30'), '68.0', '1.1', {'Neighbourhood': ['North End', 'Riverbend', 'Old Town']}),
        ('Children vulnerable on one or more EDI domains', 'Share of senior kindergarten children scoring vulnerable on at least one EDI domain.', 'percent', 1, 'down', 'population', 'annual', 'Early Development Instrument', 'owen.clarke@rdsb.example', ['Riverside District School Board'], '32.0', ('25.0', '2029-06-30'), '32.0', '-1.1', {}),
        ('Families reached by home visits', 'Families with a child under six who received at least one public health nurse or family visitor home visit in the quarter.', 'number', 0, 'up', 'performance', 'quarterly', 'Healthy Babies Healthy Children', 'grace.lin@riversidehealth.example', ['Riverside Public Health'], '240', ('320', '2027-12-31'), '240', '8', {}),
        ('Children with an 18-month developmental screen', 'Share of children seen for the enhanced 18-month well-baby visit by 20 months of age.', 'percent', 1, 'up', 'performance', 'quarterly', 'Primary care and public health records', 'grace.lin@riversidehealth.example', ['Riverside Public Health'], '61.0', ('80.0', '2028-06-30'), '61.0', '1.4', {}),
        ('Children attending early learning programs', 'Children 0–6 attending EarlyON or family literacy programs at least once in the quarter.', 'number', 0, 'up', 'performance', 'quarterly', 'EarlyON attendance', None, ['United Way Riverside'], '1300', ('1700', '2027-12-31'), '1300', '30', {}),
        ('Licensed child care spaces per 1,000 children 0–5', 'Licensed centre and home child care spaces for children 0–5, per 1,000 children of that age.', 'rate_1000', 1, 'up', 'population', 'annual', 'City child care service system manager', 'tom.bergeron@riverside-city.example', ['City of Riverside Social Services'], '312.0', ('375.0', '2028-12-31'), '312.0', '14.0', {}),
        ('Kindergarten registration by spring', 'Share of eligible children registered for kindergarten by 31 March.', 'percent', 1, 'up', 'performance', 'annual', 'School board registration system', 'owen.clarke@rdsb.example', ['Riverside District School Board'], '81.0', ('92.0', '2028-06-30'), '81.0', '2.5', {}),
        ('Parents attending family literacy sessions', 'Distinct parents or caregivers at one or more family literacy sessions in the quarter.', 'number', 0, 'up', 'performance', 'quarterly', 'Program records', None, ['United Way Riverside', 'Riverside Community Foundation'], '210', ('300', '2027-12-31'), '210', '9', {}),
    ],
    FOOD: [
        ('Households using food programs', 'Distinct households served by network food programs in the quarter.', 'number', 0, 'down', 'population', 'quarterly', 'Network intake records', None, [], '1200', ('1000', '2028-12-31'), '1200', '-10', {}),
        ('Meals served at community kitchens', "Meals served at the network's community kitchens in the quarter.", 'number', 0, 'up', 'performance', 'quarterly', 'Kitchen logs', None, [], '5400', ('6500', '2028-12-31'), '5400', '150', {}),
        ('Residents reporting food insecurity', 'Share of surveyed adults who worried food would run out before there was money to buy more.', 'percent', 1, 'down', 'population', 'annual', 'Regional health survey', None, [], '19.0', ('15.0', '2029-12-31'), '19.0', '-0.5', {}),
    ],
}
# fmt: on

RIVERSIDE_INITIATIVES = [
    (POVERTY, "poverty", datetime.date(2025, 1, 15)),
    (READY, "children ready for school", datetime.date(2025, 9, 1)),
]

RETURN_REASON = (
    "The holiday drive hampers are counted twice here (once by the depot, once by the "
    "church partners). Please send the depot totals only."
)

STORIES = {
    "Households using the food bank each month": (
        "2026-Q2",
        "Use is easing since the tax clinics started unlocking benefits for families who had "
        "never filed. Rents still push working households to the food bank in the last week "
        "of the month; the housing action team is looking at rent banks.",
    ),
    "Children ready for school at kindergarten": (
        "2025",
        "Readiness rose most in the North End, where home visits and EarlyON drop-ins doubled. "
        "Riverbend lags: families there told the listening team that program hours clash "
        "with shift work.",
    ),
}


GLOSSARY = {
    POVERTY: [
        (
            "LIM-AT",
            "Low Income Measure, after tax: half the median after-tax household income, adjusted for household size. Our shared poverty line.",
        ),
        (
            "Lived experience",
            "Knowledge that comes from living in poverty now or before; members with lived experience sit at every table.",
        ),
    ],
    READY: [
        (
            "EDI",
            "Early Development Instrument: a questionnaire kindergarten teachers complete for each child on five domains (physical, social, emotional, language and thinking, communication).",
        ),
        (
            "Vulnerable",
            "Scoring below the 10th percentile of the Canadian baseline on an EDI domain.",
        ),
    ],
}


def _periods(frequency: str) -> list[Period]:
    if frequency == "annual":
        return [Period(y, 1, "annual") for y in (2023, 2024, 2025)]
    first, last = Period(2024, 1, "quarterly"), Period(2026, 3, "quarterly")
    found, current = [], first
    while current <= last:
        found.append(current)
        current = current.next()
    return found


def _wiggle(i: int, base: Decimal) -> Decimal:
    # A small deterministic wobble so curves look like data, not rulers.
    return base * Decimal((0, 2, -1, 1, -2, 0, 1)[i % 7]) / Decimal(100)


def seed(world: DemoWorld) -> None:
    riverside = world.organizations["riverside"]
    northbay = world.organizations["northbay"]
    coordinator = world.users.get("coordinator@riverside.example")
    partner_user = world.users.get("partner@riverside.example")

    partners = {}
    for name, sector in PARTNERS.items():
        partners[name], _ = Partner.objects.get_or_create(
            organization=riverside, name=name, defaults={"sector": sector}
        )
    champions = {}
    for email, (first, last, partner) in CHAMPIONS.items():
        champions[email], _ = Contact.objects.get_or_create(
            organization=riverside,
            email=email,
            defaults={
                "first_name": first,
                "last_name": last,
                "partner": partners[partner],
                "sector": PARTNERS[partner],
            },
        )
    initiatives = {}
    for name, issue, start in RIVERSIDE_INITIATIVES:
        initiatives[name], _ = Initiative.objects.get_or_create(
            organization=riverside, name=name, defaults={"issue": issue, "start_date": start}
        )
    initiatives[FOOD], _ = Initiative.objects.get_or_create(
        organization=northbay,
        name=FOOD,
        defaults={"issue": "food insecurity", "start_date": datetime.date(2026, 3, 1)},
    )

    if partner_user is not None:
        membership = Membership.objects.get(user=partner_user, organization=riverside)
        PartnerMembership.objects.get_or_create(
            membership=membership,
            defaults={
                "organization": riverside,
                "partner": partners["Riverside Community Food Bank"],
            },
        )

    for initiative_name, rows in INDICATORS.items():
        initiative = initiatives[initiative_name]
        org = initiative.organization
        for row in rows:
            (
                name,
                definition,
                unit,
                dp,
                direction,
                level,
                frequency,
                source,
                champion,
                reporters,
                baseline,
                target,
                first,
                step,
                disaggregation,
            ) = row
            indicator, _ = Indicator.objects.get_or_create(
                organization=org,
                initiative=initiative,
                name=name,
                defaults={
                    "definition": definition,
                    "unit": unit,
                    "decimal_places": dp,
                    "direction": direction,
                    "level": level,
                    "frequency": frequency,
                    "data_source": source,
                    "champion": champions.get(champion),
                    "baseline_value": Decimal(baseline),
                    "baseline_date": datetime.date(2024, 1, 1)
                    if frequency != "annual"
                    else datetime.date(2023, 12, 31),
                    "baseline_source": source,
                    "disaggregation": disaggregation,
                    "aggregation": "pick",
                },
            )
            Target.objects.get_or_create(
                organization=org,
                indicator=indicator,
                date=datetime.date.fromisoformat(target[1]),
                defaults={"value": Decimal(target[0])},
            )
            for reporter in reporters:
                InitiativePartner.objects.get_or_create(
                    organization=org, initiative=initiative, partner=partners[reporter]
                )
                DataRequest.objects.get_or_create(
                    organization=org, indicator=indicator, partner=partners[reporter], period=""
                )
            _seed_values(
                indicator,
                reporters,
                partners,
                Decimal(first),
                Decimal(step),
                coordinator=coordinator,
                partner_user=partner_user,
            )
        if initiative_name == POVERTY:
            InitiativePartner.objects.get_or_create(
                organization=org,
                initiative=initiative,
                partner=partners["Riverside Community Food Bank"],
            )

    for initiative_name, terms in GLOSSARY.items():
        for term, meaning in terms:
            GlossaryTerm.objects.get_or_create(
                organization=riverside,
                initiative=initiatives[initiative_name],
                term=term,
                defaults={"meaning": meaning},
            )
    for name, (period, text) in STORIES.items():
        indicator = Indicator.objects.filter(organization=riverside, name=name).first()
        if indicator is not None:
            CurveStory.objects.get_or_create(
                organization=riverside,
                indicator=indicator,
                period=period,
                defaults={"text": text, "author": coordinator},
            )
    today = timezone.localdate(timezone=riverside.tzinfo)
    _seed_agreements(riverside, initiatives, partners, coordinator, today)
    _seed_revision(riverside, coordinator, today)
    world.lines.append(
        "Agreements: Riverside Public Health publishes its food-insecurity values per partner; "
        "the Community Foundation signed nothing, so the report card hides its values. "
        "The food bank's MOU expires within 60 days."
    )
    world.lines.append(
        "Measures: partner@riverside.example reports for Riverside Community Food Bank; "
        "coordinator@riverside.example has values waiting in the approval queue."
    )


AGREEMENTS = [
    # title, kind, parties, signed (days ago), expires (days from today), indicators, permission
    (
        "Public Health data-sharing agreement",
        AgreementKind.DATA_SHARING,
        ["Riverside Public Health"],
        400,
        700,
        ["Residents reporting food insecurity"],
        SharingPermission.PER_PARTNER,
    ),
    (
        "Food bank data-sharing agreement",
        AgreementKind.DATA_SHARING,
        ["Riverside Community Food Bank"],
        380,
        45,
        ["Households using the food bank each month", "Food hampers distributed"],
        SharingPermission.AGGREGATE,
    ),
    (
        "Memorandum of understanding: Poverty Reduction Roundtable",
        AgreementKind.MOU,
        list(PARTNERS),
        600,
        500,
        [],
        SharingPermission.INTERNAL,
    ),
    (
        "Leadership roundtable terms of reference",
        AgreementKind.TERMS,
        [],
        560,
        None,
        [],
        SharingPermission.INTERNAL,
    ),
]


def _seed_agreements(org, initiatives, partners, coordinator, today) -> None:
    """The registry of the Poverty Reduction Roundtable. The Community Foundation reports
    food insecurity without an agreement: the report card hides its values and the
    indicator and the home say so."""
    initiative = initiatives[POVERTY]
    for title, kind, parties, signed, expires, indicators, permission in AGREEMENTS:
        agreement, created = Agreement.objects.get_or_create(
            organization=org,
            initiative=initiative,
            title=title,
            defaults={
                "kind": kind,
                "status": AgreementStatus.SIGNED,
                "signed_on": today - datetime.timedelta(days=signed),
                "expires_on": today + datetime.timedelta(days=expires) if expires else None,
                "permission": permission,
            },
        )
        if created:
            agreement.parties.set([partners[name] for name in parties])
            agreement.indicators.set(
                Indicator.objects.filter(initiative=initiative, name__in=indicators)
            )
            agreement.document.save(
                f"{slugify(title)}.txt",
                ContentFile(f"{title}\n\nSigned by: {', '.join(parties)}\n".encode()),
            )


def _seed_revision(org, coordinator, today) -> None:
    """Last year's review revised the food bank indicator: values before April of last
    year keep the old definition."""
    indicator = Indicator.objects.filter(
        organization=org, name="Households using the food bank each month"
    ).first()
    if indicator is None or indicator.definitions.exists():
        return
    last_year = today.year - 1
    review, _ = IndicatorReview.objects.get_or_create(
        organization=org,
        initiative=indicator.initiative,
        year=last_year,
        defaults={"opened_by": coordinator},
    )
    IndicatorDefinition.objects.create(
        organization=org,
        indicator=indicator,
        number=1,
        name=indicator.name,
        definition="Visits to the food bank in the quarter, all sites (a household coming "
        "twice counted twice).",
    )
    version = IndicatorDefinition.objects.create(
        organization=org,
        indicator=indicator,
        number=2,
        name=indicator.name,
        definition=indicator.definition,
        applies_from=datetime.date(last_year, 4, 1),
        created_by=coordinator,
    )
    IndicatorVerdict.objects.get_or_create(
        organization=org,
        review=review,
        indicator=indicator,
        defaults={
            "still_relevant": "yes",
            "right_thing": "partly",
            "data_quality": "fair",
            "comment": "Visits overcount families who come every week; count households.",
            "decision": ReviewDecision.REVISE,
            "new_definition": version,
            "decided_by": coordinator,
            "decided_by_name": str(coordinator) if coordinator else "",
            "decided_at": timezone.make_aware(datetime.datetime(last_year, 3, 20, 15)),
        },
    )


def _seed_values(indicator, reporters, partners, first, step, *, coordinator, partner_user):
    periods = _periods(indicator.frequency)
    last = periods[-1]
    quantum = Decimal(1).scaleb(-indicator.decimal_places)
    for r, reporter in enumerate(reporters):
        partner = partners[reporter]
        is_food_bank = reporter == "Riverside Community Food Bank"
        for i, period in enumerate(periods):
            value = (first + step * i + _wiggle(i + r, abs(step) * 3)).quantize(quantum)
            if r:  # a second reporter counts a little differently: a conflict to settle
                value = (value * Decimal("1.04")).quantize(quantum)
            status = DataPoint.Status.APPROVED
            reason = ""
            if period == last and indicator.frequency == "quarterly":
                status = DataPoint.Status.SUBMITTED
                if is_food_bank and indicator.direction == "up":
                    continue  # the Food Bank still owes this one
            if is_food_bank and indicator.direction == "up" and period == last.previous():
                status, reason = DataPoint.Status.RETURNED, RETURN_REASON
            point, created = DataPoint.objects.get_or_create(
                organization=indicator.organization,
                indicator=indicator,
                period=period.key,
                partner=partner,
                cell="",
                defaults={
                    "value": value,
                    "status": status,
                    "return_reason": reason,
                    "updated_by": partner_user if is_food_bank else coordinator,
                },
            )
            if created:
                _history(point, partner_user if is_food_bank else None, coordinator)
                _notice(point)
            for c, cell in enumerate(indicator.cells[1:]):
                share = Decimal(1) / Decimal(len(indicator.cells) - 1)
                cell_value = (
                    (value * share + c).quantize(quantum)
                    if indicator.unit != "percent"
                    else (value + c * 2 - 2).quantize(quantum)
                )
                DataPoint.objects.get_or_create(
                    organization=indicator.organization,
                    indicator=indicator,
                    period=period.key,
                    partner=partner,
                    cell=cell,
                    defaults={"value": cell_value, "status": status},
                )
    if len(reporters) > 1:
        chooser = partners[reporters[0]]
        for period in periods:
            chosen = DataPoint.objects.filter(
                indicator=indicator,
                period=period.key,
                partner=chooser,
                cell="",
                status=DataPoint.Status.APPROVED,
            ).first()
            if chosen is not None:
                Resolution.objects.get_or_create(
                    organization=indicator.organization,
                    indicator=indicator,
                    period=period.key,
                    defaults={
                        "method": "pick",
                        "chosen": chosen,
                        "value": chosen.value,
                        "decided_by": coordinator,
                    },
                )


def _notice(point: DataPoint) -> None:
    """What the services would have told people about this value (the bell shows it)."""
    if point.status == DataPoint.Status.RETURNED:
        tell_returned([point], point.return_reason)
    elif point.status == DataPoint.Status.SUBMITTED:
        tell_submitted(point)


def _history(point: DataPoint, submitter, coordinator) -> None:
    steps = [("", "submitted", submitter, "")]
    if point.status == DataPoint.Status.APPROVED:
        steps.append(("submitted", "approved", coordinator, ""))
    if point.status == DataPoint.Status.RETURNED:
        steps.append(("submitted", "returned", coordinator, point.return_reason))
    old_value = None
    for old, new, actor, comment in steps:
        DataPointChange.objects.create(
            organization_id=point.organization_id,
            data_point=point,
            actor=actor,
            old_value=old_value,
            new_value=point.value,
            old_status=old,
            new_status=new,
            comment=comment,
        )
        old_value = point.value
