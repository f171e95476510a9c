"""Reads of newsletters: what happened in an issue's window (the item collectors), who
receives an issue, which issues are due, and how each one did."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.db.models import Count, IntegerField, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from backbone.models import Organization
from initiatives.models import (
    ActionItem,
    Commitment,
    Deliverable,
    EngagementEvent,
    Initiative,
    ParticipationRole,
    PhaseTransition,
    Story,
    WorkStatus,
)
from measures.charts import trend_svg
from measures.models import DataPoint, DataPointChange, Indicator
from measures.selectors import approved_series_for
from measures.sharing import partner_values
from stakeholders.models import Contact, Partner
from stakeholders.selectors import REACHABLE_BY_EMAIL, contacts_reachable_by_email

from ..models import Delivery, InitiativeOptOut, LinkClick, Newsletter, NewsletterItem

# What happened: the items an issue proposes -------------------------------------


@dataclass(frozen=True)
class ItemDraft:
    kind: str
    title: str
    body: str
    source_key: str
    url: str = ""
    chart_svg: str = ""


ItemCollector = Callable[[Organization, dt.datetime, dt.datetime], Iterable[ItemDraft]]
ITEM_COLLECTORS: list[ItemCollector] = []


def item_collector(func: ItemCollector) -> ItemCollector:
    """Register a function that proposes items for what happened between two moments."""
    ITEM_COLLECTORS.append(func)
    return func


@item_collector
def new_partners(organization: Organization, since: dt.datetime, until: dt.datetime):
    partners = Partner.objects.filter(
        organization=organization, created_at__gte=since, created_at__lt=until
    ).order_by("created_at")
    for partner in partners:
        yield ItemDraft(
            kind=NewsletterItem.Kind.PARTNER,
            title=_("Welcome, %(name)s") % {"name": partner.name},
            body=_("%(name)s joined the table (%(sector)s).")
            % {"name": partner.name, "sector": partner.get_sector_display()},
            url=partner.website,
            source_key=f"partner:{partner.pk}",
        )


@item_collector
def newly_approved_data(organization: Organization, since: dt.datetime, until: dt.datetime):
    """Indicators with values approved in the window: their latest value and trend chart.

    Only approved data reaches the newsletter, as everywhere else.
    """
    indicator_ids = (
        DataPointChange.objects.filter(
            organization=organization,
            new_status=DataPoint.Status.APPROVED,
            at__gte=since,
            at__lt=until,
            data_point__cell="",
        )
        .values_list("data_point__indicator_id", flat=True)
        .distinct()
    )
    indicators = list(
        Indicator.objects.filter(pk__in=indicator_ids)
        .select_related("initiative")
        .prefetch_related("targets")
        .order_by("initiative__name", "name")
    )
    series = approved_series_for(indicators)
    # A newsletter is published: partners' own values only where an agreement allows it.
    by_partner = partner_values(
        {i.pk: series[i.pk][-1][0].key for i in indicators if series.get(i.pk)}, public=True
    )
    for indicator in indicators:
        points = series.get(indicator.pk, [])
        if not points:
            continue
        period, value = points[-1]
        body = _("%(initiative)s · %(period)s: **%(value)s**. %(definition)s") % {
            "initiative": indicator.initiative.name,
            "period": period.key,
            "value": indicator.format_value(value),
            "definition": indicator.definition,
        }
        values = by_partner.get(indicator.pk)
        if values and values.shown:
            body += "\n\n" + _("By partner: %(values)s.") % {
                "values": " · ".join(
                    f"{partner.name} {indicator.format_value(v)}" for partner, v in values.shown
                )
            }
        if values and values.hidden:
            body += "\n\n" + values.hidden_reason
        yield ItemDraft(
            kind=NewsletterItem.Kind.DATA,
            title=_("New data: %(indicator)s") % {"indicator": indicator.name},
            body=body,
            source_key=f"indicator:{indicator.pk}:{period.key}",
            chart_svg=trend_svg(
                indicator, points, targets=list(indicator.targets.all()), width=480, height=200
            ),
        )


@item_collector
def phase_milestones(organization: Organization, since: dt.datetime, until: dt.datetime):
    """An initiative moving to its next phase is a milestone worth telling everyone."""
    transitions = (
        PhaseTransition.objects.filter(organization=organization, at__gte=since, at__lt=until)
        .select_related("initiative")
        .order_by("at")
    )
    for transition in transitions:
        if transition.is_backward or transition.initiative.archived_at:
            continue
        yield ItemDraft(
            kind=NewsletterItem.Kind.MILESTONE,
            title=_("%(initiative)s enters %(phase)s")
            % {
                "initiative": transition.initiative.name,
                "phase": transition.get_to_phase_display(),
            },
            body=transition.note,
            source_key=f"transition:{transition.pk}",
        )


@item_collector
def work_done(organization: Organization, since: dt.datetime, until: dt.datetime):
    """Deliverables and action items of the joint plan marked done in the window."""
    for model, kind, key in (
        (Deliverable, NewsletterItem.Kind.DELIVERABLE, "deliverable"),
        (ActionItem, NewsletterItem.Kind.MILESTONE, "action"),
    ):
        rows = (
            model.objects.filter(
                organization=organization,
                status=WorkStatus.DONE,
                completed_at__gte=since,
                completed_at__lt=until,
                initiative__archived_at__isnull=True,
            )
            .select_related("initiative")
            .order_by("completed_at")
        )
        for row in rows:
            yield ItemDraft(
                kind=kind,
                title=_("Done: %(title)s") % {"title": row.title},
                body=_("%(initiative)s crossed this off its joint plan of action.")
                % {"initiative": row.initiative.name},
                source_key=f"{key}:{row.pk}",
            )


@item_collector
def stories_published(organization: Organization, since: dt.datetime, until: dt.datetime):
    """Stories of change published in the window (publishing already required everyone's consent)."""
    stories = Story.objects.filter(
        organization=organization, published=True, published_at__gte=since, published_at__lt=until
    ).select_related("initiative")
    for story in stories.order_by("published_at"):
        yield ItemDraft(
            kind=NewsletterItem.Kind.STORY,
            title=story.title,
            body=story.text,
            source_key=f"story:{story.pk}",
        )


@item_collector
def events_recent_and_coming(organization: Organization, since: dt.datetime, until: dt.datetime):
    """Events held in the window (with how many came) and those of the next two weeks."""
    events = (
        EngagementEvent.objects.filter(
            organization=organization,
            starts_at__gte=since,
            starts_at__lt=until + dt.timedelta(days=14),
        )
        .select_related("initiative")
        .annotate(people=Count("attendances", distinct=True))
        .order_by("starts_at")
    )
    for event in events:
        when = date_format(
            timezone.localtime(event.starts_at, organization.tzinfo), "DATETIME_FORMAT"
        )
        if event.starts_at < until:
            body = _("%(count)s people came to %(kind)s at %(place)s on %(when)s.") % {
                "count": event.people,
                "kind": event.get_kind_display().lower(),
                "place": event.place or _("our community"),
                "when": when,
            }
        else:
            body = _("Coming up: %(kind)s at %(place)s, %(when)s. Everyone is welcome.") % {
                "kind": event.get_kind_display().lower(),
                "place": event.place or _("a place to be announced"),
                "when": when,
            }
        yield ItemDraft(
            kind=NewsletterItem.Kind.EVENT,
            title=event.title,
            body=body,
            source_key=f"event:{event.pk}",
        )


@item_collector
def commitments_signed(organization: Organization, since: dt.datetime, until: dt.datetime):
    """Partners who signed on to an initiative in the window."""
    commitments = Commitment.objects.filter(
        organization=organization,
        signed_on__gte=since.astimezone(organization.tzinfo).date(),
        signed_on__lt=until.astimezone(organization.tzinfo).date() + dt.timedelta(days=1),
    ).select_related("initiative", "partner")
    for commitment in commitments.order_by("signed_on"):
        yield ItemDraft(
            kind=NewsletterItem.Kind.COMMITMENT,
            title=_("%(partner)s signs on to %(initiative)s")
            % {"partner": commitment.partner.name, "initiative": commitment.initiative.name},
            body=_("%(partner)s joins as %(role)s.")
            % {"partner": commitment.partner.name, "role": commitment.get_role_display().lower()},
            source_key=f"commitment:{commitment.pk}",
        )


# Audience -------------------------------------------------------------------


def _narrows(newsletter: Newsletter) -> bool:
    """Whether the issue goes to part of the organization only (see `_narrow`)."""
    return bool(
        newsletter.audience_sector
        or newsletter.audience_tag
        or newsletter.audience_role
        or newsletter.audience_initiative_id
    )


def _narrow(contacts: QuerySet[Contact], newsletter: Newsletter) -> QuerySet[Contact]:
    """Apply the newsletter's audience filters (sector, tag, initiative and its opt-outs)."""
    if newsletter.audience_sector:
        contacts = contacts.filter(sector=newsletter.audience_sector)
    if newsletter.audience_tag:
        contacts = contacts.filter(tags__name__iexact=newsletter.audience_tag)
    if newsletter.audience_role:
        roles = ParticipationRole.objects.filter(role=newsletter.audience_role)
        if newsletter.audience_initiative_id:
            roles = roles.filter(participation__initiative_id=newsletter.audience_initiative_id)
        contacts = contacts.filter(pk__in=roles.values("participation__contact_id"))
    if newsletter.audience_initiative_id:
        # People taking part themselves, and the staff of partners taking part.
        initiative_id = newsletter.audience_initiative_id
        contacts = contacts.filter(
            Q(participations__initiative_id=initiative_id)
            | Q(partner__initiative_links__initiative_id=initiative_id)
        ).exclude(
            pk__in=InitiativeOptOut.objects.filter(
                initiative_id=newsletter.audience_initiative_id
            ).values("contact_id")
        )
    return contacts.distinct()


def initiatives_to_choose_from(organization: Organization) -> QuerySet[Initiative]:
    """The initiatives a reader may choose to hear about (on the preferences page)."""
    return Initiative.objects.filter(organization=organization, archived_at__isnull=True)


def initiatives_opted_out(contact: Contact) -> set[int]:
    """Ids of the initiatives the contact chose not to hear about."""
    return set(
        InitiativeOptOut.objects.filter(contact=contact).values_list("initiative_id", flat=True)
    )


def newsletter_audience(newsletter: Newsletter) -> QuerySet[Contact]:
    """Who receives it: only people the registry says may be e-mailed, narrowed by the audience."""
    return _narrow(contacts_reachable_by_email(newsletter.organization), newsletter)


def audience_counts(newsletter: Newsletter) -> dict[str, int]:
    """How many of the audience receive the issue and how many are left out (no consent or
    no address): one count, each contact counted once however many filters it matches."""
    contacts = Contact.objects.filter(organization_id=newsletter.organization_id)
    if _narrows(newsletter):
        contacts = contacts.filter(pk__in=_narrow(contacts, newsletter).values("pk"))
    counts = contacts.aggregate(
        everyone=Count("pk"), recipients=Count("pk", filter=REACHABLE_BY_EMAIL)
    )
    return {
        "recipients": counts["recipients"],
        "excluded": counts["everyone"] - counts["recipients"],
    }


# Which issues, and how they did -------------------------------------------------


def newsletters_due(
    organization: Organization, now: dt.datetime | None = None
) -> QuerySet[Newsletter]:
    return Newsletter.objects.filter(
        organization=organization,
        status=Newsletter.Status.SCHEDULED,
        scheduled_for__lte=now or timezone.now(),
    )


def _count(queryset: QuerySet, by: str):
    """A correlated COUNT(*) (not COUNT(id): an index holding `by` and the filter answers
    it alone, without reading the rows)."""
    return Coalesce(
        Subquery(
            queryset.order_by().values(by).annotate(n=Count("*")).values("n"),
            output_field=IntegerField(),
        ),
        Value(0),
    )


def newsletter_stats(newsletters: QuerySet[Newsletter]) -> list[Newsletter]:
    """The issues with their delivered / failed / unsubscribed / clicks counts, in two
    queries whatever their number: the delivery counts as subqueries that read only
    indexes ((newsletter, status), and the partial index of unsubscribed deliveries), the
    clicks as one count per issue over the clicks of these issues."""
    mine = Delivery.objects.filter(newsletter_id=OuterRef("pk"))
    issues = list(
        newsletters.annotate(
            delivered=_count(mine.filter(status=Delivery.Status.SENT), "newsletter_id"),
            failed=_count(mine.filter(status=Delivery.Status.FAILED), "newsletter_id"),
            unsubscribed=_count(mine.filter(unsubscribed_at__isnull=False), "newsletter_id"),
        )
    )
    clicks = (
        dict(
            LinkClick.objects.filter(delivery__newsletter__in=[issue.pk for issue in issues])
            .order_by()
            .values_list("delivery__newsletter_id")
            .annotate(n=Count("*"))
        )
        if issues
        else {}
    )
    for issue in issues:
        issue.clicks = clicks.get(issue.pk, 0)
    return issues


@dataclass(frozen=True)
class IssueStats:
    delivered: int
    failed: int
    unsubscribed: int
    clicks: int


def issue_stats(newsletter: Newsletter) -> IssueStats:
    """One issue's delivered / failed / unsubscribed / clicks counts, in one aggregate over
    its deliveries (each delivery counted once, however many clicks it has)."""
    counts = Delivery.objects.filter(newsletter=newsletter).aggregate(
        delivered=Count("pk", filter=Q(status=Delivery.Status.SENT), distinct=True),
        failed=Count("pk", filter=Q(status=Delivery.Status.FAILED), distinct=True),
        unsubscribed=Count("pk", filter=Q(unsubscribed_at__isnull=False), distinct=True),
        clicks=Count("clicks"),
    )
    return IssueStats(**counts)


def newsletters_newest_first(organization: Organization) -> list[Newsletter]:
    """The organization's issues, newest week first, with their engagement counts."""
    issues = Newsletter.objects.filter(organization=organization)
    return newsletter_stats(issues.order_by("-week_of", "-created_at", "-pk"))


def newsletter_draft_of_week(organization: Organization, week_of: dt.date) -> Newsletter | None:
    """The draft already made for that week, if any: drafting "now" opens it rather than
    making a second one."""
    return (
        Newsletter.objects.filter(
            organization=organization, week_of=week_of, status=Newsletter.Status.DRAFT
        )
        .order_by("-created_at")
        .first()
    )
