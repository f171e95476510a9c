"""Reads of the registry. Who may see what is decided here: staff and roundtable
members see the whole registry; a partner user sees their own Partner and its
contacts, nothing else (and nothing while they are not linked)."""

from dataclasses import dataclass

from django.db.models import Count, Prefetch, Q, QuerySet

from backbone.models import Membership, Organization, Role

from .models import (
    CAPACITY_DIMENSIONS,
    CAPACITY_NEEDS_HELP,
    CapacityAssessment,
    ConsentStatus,
    Contact,
    ExportLog,
    ImportBatch,
    Interaction,
    Partner,
    PartnerMembership,
    Tag,
)


def partner_of(membership: Membership | None) -> Partner | None:
    """The Partner a partner user reports for; None for other roles or an unlinked partner user."""
    if membership is None or membership.role != Role.PARTNER:
        return None
    memo = getattr(membership, "memo", None)  # a page that asks often (the home) keeps it
    if memo is not None and "partner" in memo:
        return memo["partner"]
    link = (
        PartnerMembership.objects.filter(
            membership=membership, organization_id=membership.organization_id
        )
        .select_related("partner")
        .first()
    )
    partner = link.partner if link else None
    if memo is not None:
        memo["partner"] = partner
    return partner


def partners_visible_to(membership: Membership) -> QuerySet[Partner]:
    queryset = Partner.objects.filter(organization_id=membership.organization_id)
    if membership.role == Role.PARTNER:
        partner = partner_of(membership)
        return queryset.filter(pk=partner.pk) if partner else queryset.none()
    return queryset


def contacts_visible_to(membership: Membership) -> QuerySet[Contact]:
    queryset = Contact.objects.filter(organization_id=membership.organization_id).select_related(
        "partner"
    )
    if membership.role == Role.PARTNER:
        partner = partner_of(membership)
        return queryset.filter(partner=partner) if partner else queryset.none()
    return queryset


def contacts_reachable_by_email(organization: Organization) -> QuerySet[Contact]:
    """Everyone the organization may e-mail: an address, and consent given and not withdrawn.

    The newsletters send to this and nothing else.
    """
    return Contact.objects.filter(REACHABLE_BY_EMAIL, organization=organization)


# A contact the organization may e-mail (see `contacts_reachable_by_email`), as a filter.
REACHABLE_BY_EMAIL = Q(consent=ConsentStatus.GIVEN) & ~Q(email="")


@dataclass(frozen=True)
class ContactFilters:
    q: str = ""
    partner: int | None = None
    sector: str = ""
    lived_experience: bool | None = None
    tag: int | None = None
    consent: str = ""

    @property
    def active(self) -> bool:
        return any(
            value not in ("", None)
            for value in (
                self.q,
                self.partner,
                self.sector,
                self.lived_experience,
                self.tag,
                self.consent,
            )
        )


def contacts_apply_filters(
    queryset: QuerySet[Contact], filters: ContactFilters
) -> QuerySet[Contact]:
    """Narrow any contact queryset by the registry's filters.

    Reused by lists built on the registry (an initiative's people) so that
    search means the same everywhere.
    """
    for word in filters.q.split():
        queryset = queryset.filter(
            Q(first_name__icontains=word)
            | Q(last_name__icontains=word)
            | Q(email__icontains=word)
            | Q(partner__name__icontains=word)
        )
    if filters.partner:
        queryset = queryset.filter(partner_id=filters.partner)
    if filters.sector:
        queryset = queryset.filter(sector=filters.sector)
    if filters.lived_experience is not None:
        queryset = queryset.filter(lived_experience=filters.lived_experience)
    if filters.tag:
        queryset = queryset.filter(tags__id=filters.tag)
    if filters.consent:
        queryset = queryset.filter(consent=filters.consent)
    return queryset


def contacts_filtered(membership: Membership, filters: ContactFilters) -> QuerySet[Contact]:
    """The visible contacts matching `filters`, ready to list (partner and tags fetched).

    No DISTINCT: every filter joins at most one row per contact (the partner is one, the
    tag filter names one tag), so the list and its count never sort the whole registry."""
    queryset = contacts_apply_filters(contacts_visible_to(membership), filters)
    return queryset.select_related("partner").prefetch_related(
        Prefetch("tags", queryset=Tag.objects.order_by("name"))
    )


def partners_filtered(
    membership: Membership, *, q: str = "", sector: str = ""
) -> QuerySet[Partner]:
    queryset = partners_visible_to(membership)
    if q:
        queryset = queryset.filter(name__icontains=q)
    if sector:
        queryset = queryset.filter(sector=sector)
    return queryset.annotate(contact_count=Count("contacts")).order_by("name", "id")


def tags_of(organization: Organization) -> QuerySet[Tag]:
    return Tag.objects.filter(organization=organization)


def tags_with_counts(organization: Organization) -> QuerySet[Tag]:
    return tags_of(organization).annotate(contact_count=Count("contacts")).order_by("name", "id")


def contact_timeline(contact: Contact) -> QuerySet[Interaction]:
    return Interaction.objects.filter(
        organization_id=contact.organization_id, contact=contact
    ).select_related("created_by")


def partner_users(partner: Partner) -> QuerySet[PartnerMembership]:
    return PartnerMembership.objects.filter(
        organization_id=partner.organization_id, partner=partner
    ).select_related("membership__user")


def partner_role_members_unlinked(organization: Organization) -> QuerySet[Membership]:
    """Members with role partner who don't report for any Partner yet."""
    linked = PartnerMembership.objects.filter(organization=organization).values("membership_id")
    return (
        Membership.objects.filter(organization=organization, role=Role.PARTNER)
        .exclude(pk__in=linked)
        .select_related("user")
        .order_by("user__email")
    )


def recent_exports(organization: Organization, limit: int = 20) -> QuerySet[ExportLog]:
    return ExportLog.objects.filter(organization=organization).select_related("exported_by")[:limit]


def import_batches(*kinds: str) -> QuerySet[ImportBatch]:
    """Uploaded imports of these kinds, for `access(..., token=...)`: a token of one kind
    never opens the preview of another."""
    return ImportBatch.objects.filter(kind__in=kinds)


def capacity_history(partner: Partner) -> QuerySet[CapacityAssessment]:
    """A partner's capacity self-assessments, the latest year first."""
    return CapacityAssessment.objects.filter(
        organization_id=partner.organization_id, partner=partner
    ).order_by("-year")


def capacity_years(organization: Organization, current: int) -> list[int]:
    """The years with capacity answers, and the current year, the latest first."""
    years = set(
        CapacityAssessment.objects.filter(organization=organization)
        .values_list("year", flat=True)
        .distinct()
    )
    return sorted(years | {current}, reverse=True)


def capacity_table(
    partners: QuerySet[Partner], *, year: int, needs_help: str = ""
) -> QuerySet[Partner]:
    """`partners` by name, each with `capacity` (a list of its assessment of `year`, or
    empty): one query per page whatever its size. `needs_help` (a dimension's name, or
    "unanswered") keeps the partners who need help there, or who have not answered."""
    answers = CapacityAssessment.objects.filter(year=year)
    dimensions = {name for name, _label, _question in CAPACITY_DIMENSIONS}
    if needs_help in dimensions:
        partners = partners.filter(
            pk__in=answers.filter(**{f"{needs_help}__lte": CAPACITY_NEEDS_HELP}).values("partner")
        )
    elif needs_help == "unanswered":
        partners = partners.exclude(pk__in=answers.values("partner"))
    return partners.order_by("name", "id").prefetch_related(
        Prefetch("capacity_assessments", queryset=answers, to_attr="capacity")
    )


def capacity_summary(partners: QuerySet[Partner], *, year: int) -> dict:
    """How many of `partners` answered for `year`, and per dimension how many need help."""
    counts = CapacityAssessment.objects.filter(year=year, partner__in=partners).aggregate(
        answered=Count("pk"),
        **{
            name: Count("pk", filter=Q(**{f"{name}__lte": CAPACITY_NEEDS_HELP}))
            for name, _label, _question in CAPACITY_DIMENSIONS
        },
    )
    return {
        "answered": counts["answered"],
        "dimensions": [
            {"name": name, "label": label, "needs_help": counts[name]}
            for name, label, _question in CAPACITY_DIMENSIONS
        ],
    }
