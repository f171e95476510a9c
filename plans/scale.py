"""The standard big organization that benchmarks and the CI smoke run measure.

Factor 10 is the organization of issue 13: 200 initiatives, 5,000 contacts, 20,000 data
points, 10 newsletters × 5,000 deliveries and 20 events × 100 attendees; every other
factor scales linearly (fractions too: 0.1 is about the demo's size). Rows are written
with `bulk_create`, so factor 10 takes seconds. The organization has its own slug
(`scale-<factor>`) and one member per role; the demo organizations are never touched.

The first initiative ("flagship") carries the measures, the people, the events and the
actions, so its pages are the ones that grow; the others fill the lists.
"""

import datetime
import math
from dataclasses import dataclass

from allauth.account.models import EmailAddress
from django.db import transaction
from django.utils import timezone
from django_scopes import scopes_disabled

from backbone.models import Membership, Organization, Role, User
from initiatives.models import (
    ActionItem,
    Attendance,
    EngagementEvent,
    EventKind,
    Initiative,
    Participation,
    Risk,
    RiskLevel,
)
from measures.models import DataPoint, Indicator
from measures.periods import Frequency
from plans.models import Delivery, LinkClick, Newsletter
from stakeholders.models import ConsentStatus, Contact, Partner, PartnerMembership, Sector

PASSWORD = "backbone-scale"  # noqa: S105 - documented benchmark password, local data only
BATCH = 2000
PERIODS_PER_INDICATOR = 20
ROLES = [Role.ADMIN, Role.COORDINATOR, Role.PARTNER, Role.ROUNDTABLE]


@dataclass(frozen=True)
class Size:
    """How many of each row an organization of `factor` holds."""

    factor: float

    def _n(self, per_factor: float, minimum: int = 1) -> int:
        return max(minimum, round(per_factor * self.factor))

    @property
    def initiatives(self) -> int:
        return self._n(20, 2)

    @property
    def contacts(self) -> int:
        return self._n(500, 20)

    @property
    def partners(self) -> int:
        return self._n(20, 20)

    @property
    def indicators(self) -> int:
        return self._n(5)

    @property
    def data_points(self) -> int:
        return self._n(2000, 20)

    @property
    def newsletters(self) -> int:
        return self._n(1)

    @property
    def events(self) -> int:
        return self._n(2)

    @property
    def attendees(self) -> int:
        return min(self._n(10), self.contacts)

    @property
    def action_items(self) -> int:
        return self._n(100, 5)

    @property
    def participants(self) -> int:
        return min(self._n(50, 5), self.contacts)


def scale_slug(factor: float) -> str:
    return f"scale-{factor:g}".replace(".", "-")


def member_email(slug: str, role: str) -> str:
    return f"{role}@{slug}.example"


def scale_organization(factor: float) -> Organization | None:
    return Organization.objects.filter(slug=scale_slug(factor)).first()


def _bulk(model, rows: list) -> list:
    return model.objects.bulk_create(rows, batch_size=BATCH)


def seed_scale(factor: float) -> tuple[Organization, bool]:
    """The organization of this factor, built when missing. Returns (it, created)."""
    slug = scale_slug(factor)
    with scopes_disabled():
        existing = Organization.objects.filter(slug=slug).first()
        if existing:
            return existing, False
        with transaction.atomic():
            organization = Organization.objects.create(
                slug=slug, name=f"Scale ×{factor:g} Collective", time_zone="America/Toronto"
            )
            _build(organization, Size(factor))
    return organization, True


def _build(org: Organization, size: Size) -> None:
    now = timezone.now()
    # The organization's today, as its pages count "overdue" and "this week".
    today = timezone.localdate(timezone=org.tzinfo)
    partners = _bulk(
        Partner,
        [
            Partner(organization=org, name=f"Partner {i:04d}", sector=Sector.NON_PROFIT)
            for i in range(size.partners)
        ],
    )
    contacts = _bulk(
        Contact,
        [
            Contact(
                organization=org,
                first_name=f"Person{i:05d}",
                last_name=f"Scale{i % 97:02d}",
                email=f"person{i}@{org.slug}.example",
                partner=partners[i % len(partners)],
                sector=Sector.COMMUNITY,
                consent=ConsentStatus.GIVEN,
                consent_changed_at=now,
            )
            for i in range(size.contacts)
        ],
    )
    _members(org, partners[0])
    initiatives = _bulk(
        Initiative,
        [
            Initiative(
                organization=org,
                name=f"Initiative {i:04d}" if i else "Flagship initiative",
                issue="Child poverty in the region",
                start_date=today - datetime.timedelta(days=400 + i),
            )
            for i in range(size.initiatives)
        ],
    )
    flagship = initiatives[0]
    _measures(org, flagship, partners, size, today)
    _bulk(
        ActionItem,
        [
            ActionItem(
                organization=org,
                initiative=initiatives[i % len(initiatives)],
                title=f"Action {i}",
                lead=contacts[i % len(contacts)],
                due_date=today + datetime.timedelta(days=(i % 60) - 30),
            )
            for i in range(size.action_items)
        ],
    )
    levels = list(RiskLevel)
    _bulk(
        Risk,
        [
            Risk(
                organization=org,
                initiative=initiative,
                description=f"Risk {j} of {initiative.name}",
                likelihood=levels[j % 3],
                impact=levels[(j + 1) % 3],
                owner=contacts[j],
            )
            for initiative in initiatives
            for j in range(5)
        ],
    )
    _bulk(
        Participation,
        [
            Participation(organization=org, initiative=flagship, contact=contact)
            for contact in contacts[: size.participants]
        ],
    )
    _events(org, flagship, contacts, size, now)
    _newsletters(org, contacts, size, now)


def _members(org: Organization, partner: Partner) -> None:
    for role in ROLES:
        email = member_email(org.slug, role)
        user, created = User.objects.get_or_create(
            email=email, defaults={"first_name": role.label, "last_name": "Scale"}
        )
        if created:
            user.set_password(PASSWORD)
            user.save(update_fields=["password"])
        EmailAddress.objects.get_or_create(
            user=user, email=email, defaults={"verified": True, "primary": True}
        )
        membership = Membership.objects.create(user=user, organization=org, role=role)
        if role == Role.PARTNER:
            PartnerMembership.objects.create(
                organization=org, membership=membership, partner=partner
            )


def _measures(org, flagship, partners, size: Size, today) -> None:
    indicators = _bulk(
        Indicator,
        [
            Indicator(
                organization=org,
                initiative=flagship,
                name=f"Indicator {i:03d}",
                definition="Children counted once per period.",
                frequency=Frequency.QUARTERLY,
            )
            for i in range(size.indicators)
        ],
    )
    per_indicator = math.ceil(size.data_points / len(indicators))
    reporting = partners[: max(1, math.ceil(per_indicator / PERIODS_PER_INDICATOR))]
    # A small organization has fewer partners than the values would need: one value per
    # indicator, period and partner, never two.
    per_indicator = min(per_indicator, PERIODS_PER_INDICATOR * len(reporting))
    first_year = today.year - PERIODS_PER_INDICATOR // 4
    periods = [f"{first_year + q // 4}-Q{q % 4 + 1}" for q in range(PERIODS_PER_INDICATOR)]
    rows = []
    for n, indicator in enumerate(indicators):
        for k in range(per_indicator):
            if len(rows) == size.data_points:
                break
            rows.append(
                DataPoint(
                    organization=org,
                    indicator=indicator,
                    period=periods[k % len(periods)],
                    partner=reporting[k // len(periods) % len(reporting)],
                    value=100 + (n * 7 + k) % 50,
                    status=DataPoint.Status.APPROVED,
                )
            )
    _bulk(DataPoint, rows)


def _events(org, flagship, contacts, size: Size, now) -> None:
    events = _bulk(
        EngagementEvent,
        [
            EngagementEvent(
                organization=org,
                initiative=flagship,
                kind=EventKind.COMMUNITY_CONVERSATION,
                title=f"Conversation {i}",
                starts_at=now - datetime.timedelta(days=7 * i + 1),
            )
            for i in range(size.events)
        ],
    )
    _bulk(
        Attendance,
        [
            Attendance(organization=org, event=event, contact=contact, name=contact.full_name)
            for event in events
            for contact in contacts[: size.attendees]
        ],
    )


def sent_deliveries(newsletter: Newsletter, contacts) -> list[Delivery]:
    """Unsaved deliveries of a sent issue to these contacts (for demo and scale data)."""
    return [
        Delivery(
            organization_id=newsletter.organization_id,
            newsletter=newsletter,
            contact=contact,
            email=contact.email,
            status=Delivery.Status.SENT,
            attempts=1,
            sent_at=newsletter.sent_at,
        )
        for contact in contacts
    ]


def _newsletters(org, contacts, size: Size, now) -> None:
    newsletters = _bulk(
        Newsletter,
        [
            Newsletter(
                organization=org,
                subject=f"Weekly update {i}",
                week_of=(now - datetime.timedelta(weeks=i)).date(),
                covers_from=now - datetime.timedelta(weeks=i + 1),
                covers_until=now - datetime.timedelta(weeks=i),
                status=Newsletter.Status.SENT,
                sent_at=now - datetime.timedelta(weeks=i),
            )
            for i in range(size.newsletters)
        ],
    )
    for newsletter in newsletters:
        deliveries = _bulk(Delivery, sent_deliveries(newsletter, contacts))
        _bulk(
            LinkClick,
            [
                LinkClick(organization=org, delivery=delivery, url="https://example.org/news")
                for delivery in deliveries[::10]
            ],
        )
