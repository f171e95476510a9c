"""The organization's front page, one per role: the person's own work, composed from each
app's selectors. Every section shows a few items, its count and a link to where the work is
done, in a fixed number of queries whatever the organization's size."""

from __future__ import annotations

import datetime as dt
from copy import copy

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from backbone.links import org_url
from backbone.models import Invitation, JobRun, Membership, Role
from initiatives.models import Commitment, Deliverable, EngagementEvent, WorkStatus
from initiatives.selectors import (
    action_items_due_queryset,
    rows_visible_to,
)
from measures import selectors as measures
from measures.agreements import agreements_expiring
from measures.flags import flag_points
from measures.models import DataPoint
from measures.sharing import uncovered_requests
from stakeholders.selectors import capacity_history, partner_of
from stakeholders.services import capacity_year

from ..models import Comment, Newsletter, PlanVersion, ReportCard
from .home_parts import (
    SHOWN,
    Item,
    Section,
    _day,
    _entry_url,
    _first_and_count,
    _listed,
    _point_text,
    _section,
)
from .plan import versions_visible_to
from .report_card import report_cards_visible_to

Status = DataPoint.Status


def _approval_meta(point: DataPoint) -> str:
    meta = point.indicator.format_value(point.value)
    if point.previous is not None:
        meta += " " + _("(last approved %(previous)s, %(change)+.0f %%)") % {
            "previous": point.indicator.format_value(point.previous),
            "change": point.change or 0,
        }
    return meta


# Sections of the backbone's staff


def approvals_section(membership: Membership) -> Section:
    organization = membership.organization
    return _section(
        "approvals",
        gettext_lazy("Values waiting for approval"),
        measures.approval_queue(organization.pk)
        .select_related(None)
        .select_related("indicator", "partner"),
        lambda p: Item(
            _point_text(p),
            org_url(organization, "measures:data_point", data_point_id=p.pk),
            _approval_meta(p),
            flags=p.flags,
        ),
        see_all=org_url(organization, "measures:approvals"),
        empty=gettext_lazy("Nothing waits for approval."),
        prepare=flag_points,
    )


def late_partners_section(membership: Membership, today: dt.date) -> Section:
    organization = membership.organization
    late: dict[int, list] = {}
    for owed in measures.owed_by(None, organization_id=organization.pk, today=today):
        if owed.due < today:
            late.setdefault(owed.partner.pk, []).append(owed)
    rows = sorted(late.values(), key=lambda items: items[0].due)

    def item(owed_items) -> Item:
        partner = owed_items[0].partner
        return Item(
            partner.name,
            org_url(organization, "stakeholders:partner_detail", partner_id=partner.pk),
            _("%(count)s value(s) late, the oldest due %(due)s")
            % {"count": len(owed_items), "due": _day(owed_items[0].due)},
            warn=True,
        )

    return _listed(
        "late",
        gettext_lazy("Partners late with data"),
        rows,
        item,
        see_all=org_url(organization, "measures:index"),
        empty=gettext_lazy("No partner is late."),
    )


def work_due_section(membership: Membership, today: dt.date) -> Section:
    organization = membership.organization
    week_end = today + dt.timedelta(days=7)
    # Counts in SQL and the first few of each kind: never every due row of a big organization.
    fields = ("title", "due_date", "initiative_id")
    actions, action_count = _first_and_count(
        action_items_due_queryset(membership, today=today)
        .select_related(None)
        .only(*fields)
        .order_by("due_date", "pk")
    )
    deliverables, deliverable_count = _first_and_count(
        rows_visible_to(membership, Deliverable)
        .select_related(None)
        .only(*fields)
        .filter(due_date__lte=week_end, initiative__archived_at=None)
        .exclude(status=WorkStatus.DONE)
        .order_by("due_date", "pk")
    )
    count = action_count + deliverable_count
    rows = sorted(
        [(row.due_date, _("Action"), row, "initiatives:actions") for row in actions]
        + [
            (row.due_date, _("Deliverable"), row, "initiatives:deliverables")
            for row in deliverables
        ],
        key=lambda entry: entry[0],
    )

    def item(entry) -> Item:
        due, kind, row, url_name = entry
        return Item(
            f"{kind}: {row}",
            org_url(organization, url_name, initiative_id=row.initiative_id),
            (_("overdue since %(date)s") if due < today else _("due %(date)s"))
            % {"date": _day(due)},
            warn=due < today,
        )

    return Section(
        "work",
        str(gettext_lazy("Action items and deliverables overdue or due this week")),
        count,
        [item(entry) for entry in rows[:SHOWN]],
        org_url(organization, "initiatives:actions_due"),
        str(gettext_lazy("Nothing is overdue or due this week.")),
    )


def events_section(membership: Membership) -> Section:
    organization = membership.organization
    return _section(
        "events",
        gettext_lazy("Events coming up"),
        rows_visible_to(membership, EngagementEvent)
        .only("title", "starts_at", "initiative__name")
        .filter(starts_at__gte=timezone.now(), initiative__archived_at=None)
        .order_by("starts_at", "pk"),
        lambda e: Item(
            e.title,
            org_url(organization, "initiatives:event", event_id=e.pk),
            f"{_day(e.starts_at)} · {e.initiative.name}",
        ),
        empty=gettext_lazy("No event is planned."),
    )


def newsletter_section(membership: Membership, today: dt.date) -> Section:
    organization = membership.organization
    monday = today - dt.timedelta(days=today.weekday())
    return _section(
        "newsletter",
        gettext_lazy("This week's newsletter draft"),
        Newsletter.objects.filter(
            organization=organization, status=Newsletter.Status.DRAFT, week_of=monday
        )
        .only("subject")
        .order_by("-created_at"),
        lambda n: Item(n.subject, org_url(organization, "newsletters:detail", newsletter_id=n.pk)),
        see_all=org_url(organization, "newsletters:index"),
        empty=gettext_lazy("No draft for this week yet."),
    )


def report_cards_to_issue_section(membership: Membership) -> Section:
    organization = membership.organization
    return _section(
        "cards_to_issue",
        gettext_lazy("Report cards to issue"),
        report_cards_visible_to(membership)
        .select_related(None)
        .select_related("initiative")
        .only("period", "initiative__name")
        .filter(status=ReportCard.Status.DRAFT, initiative__archived_at=None)
        .order_by("period", "initiative__name"),
        lambda c: Item(
            f"{c.initiative.name} · {c.period}",
            org_url(organization, "plans:report_card_detail", report_card_id=c.pk),
        ),
        empty=gettext_lazy("No report card waits."),
    )


def comments_section(membership: Membership, now: dt.datetime) -> Section:
    organization = membership.organization
    return _section(
        "comments",
        gettext_lazy("New comments on drafts"),
        Comment.objects.filter(
            organization=organization,
            version__in=versions_visible_to(membership).filter(status=PlanVersion.Status.DRAFT),
            created_at__gte=now - dt.timedelta(days=7),
        )
        .select_related("version__plan__initiative", "author")
        .only(
            "section_key",
            "body",
            "created_at",
            "version__plan__initiative__name",
            "author__first_name",
            "author__last_name",
            "author__email",
        )
        .order_by("-created_at", "-pk"),
        lambda c: Item(
            f"{c.version.plan.initiative.name} · {c.get_section_key_display()}: {c.body[:80]}",
            org_url(organization, "plans:version_detail", version_id=c.version_id),
            f"{c.author or _('someone who left')} · {_day(c.created_at)}",
        ),
        empty=gettext_lazy("No new comment this week."),
    )


def agreements_section(membership: Membership, today: dt.date) -> Section:
    """Partners asked for data without a data-sharing agreement in force, and agreements
    expiring within 60 days. Three queries."""
    organization = membership.organization
    indicators = measures.indicators_visible_to(membership).filter(initiative__archived_at=None)
    uncovered = uncovered_requests(indicators, today=today)
    expiring, expiring_count = _first_and_count(
        agreements_expiring(today)
        .filter(organization=organization, initiative__in=measures.measured_initiatives(membership))
        .only("title", "expires_on")
    )
    rows = [("uncovered", u) for u in uncovered] + [("expiring", a) for a in expiring]

    def item(entry) -> Item:
        kind, row = entry
        if kind == "uncovered":
            return Item(
                _("%(partner)s reports “%(indicator)s” without a data-sharing agreement")
                % {"partner": row.partner_name, "indicator": row.indicator_name},
                org_url(organization, "measures:indicator_detail", indicator_id=row.indicator_id),
                warn=True,
            )
        return Item(
            _("“%(title)s” expires %(date)s") % {"title": row.title, "date": _day(row.expires_on)},
            org_url(organization, "measures:agreement_detail", agreement_id=row.pk),
        )

    section = _listed(
        "agreements",
        gettext_lazy("Agreements to sign or renew"),
        rows,
        item,
        see_all=org_url(organization, "measures:agreements"),
        empty=gettext_lazy("Every partner asked for data has a data-sharing agreement."),
    )
    section.count = len(uncovered) + expiring_count  # only the first few expiring are read
    return section


def coordinator_sections(membership: Membership, today: dt.date, now: dt.datetime) -> list:
    return [
        approvals_section(membership),
        late_partners_section(membership, today),
        work_due_section(membership, today),
        events_section(membership),
        newsletter_section(membership, today),
        report_cards_to_issue_section(membership),
        agreements_section(membership, today),
        comments_section(membership, now),
    ]


def admin_sections(membership: Membership, today: dt.date, now: dt.datetime) -> list:
    organization = membership.organization
    failed = _section(
        "jobs",
        gettext_lazy("Failed jobs"),
        JobRun.objects.filter(organization=organization, status=JobRun.Status.FAILED)
        .only("task_name", "started_at")
        .order_by("-started_at"),
        lambda j: Item(j.task_name, org_url(organization, "jobs"), _day(j.started_at), warn=True),
        see_all=org_url(organization, "jobs"),
        empty=gettext_lazy("No job has failed."),
    )
    invitations = _section(
        "invitations",
        gettext_lazy("Pending invitations"),
        Invitation.objects.filter(
            organization=organization, accepted_at=None, revoked_at=None, expires_at__gt=now
        )
        .only("email", "role", "expires_at")
        .order_by("-created_at"),
        lambda i: Item(
            f"{i.email} · {i.get_role_display()}",
            org_url(organization, "members"),
            _("expires %(date)s") % {"date": _day(i.expires_at)},
        ),
        see_all=org_url(organization, "members"),
        empty=gettext_lazy("No invitation is pending."),
    )
    return [*coordinator_sections(membership, today, now), failed, invitations]


# Sections of a partner's people


def _upload_links(organization, owed: list) -> list[tuple[str, str]]:
    """A CSV upload per initiative owed (its page lets them choose the period)."""
    initiatives = {o.indicator.initiative_id: o.indicator.initiative for o in owed}
    return [
        (
            _("Upload a CSV of values for %(initiative)s") % {"initiative": initiative.name},
            org_url(organization, "measures:entry_upload", initiative_id=initiative.pk),
        )
        for initiative in sorted(initiatives.values(), key=lambda i: i.name)
    ]


def partner_sections(membership: Membership, today: dt.date) -> list:
    organization = membership.organization
    partner = partner_of(membership)
    if partner is None:
        return []
    partner.organization = organization  # the capacity card's links, without a query
    owed = measures.owed_by([partner], organization_id=organization.pk, today=today)
    # The partner's own values: its name is not shown, the indicator formats the value.
    points = measures.data_points_visible_to(membership).select_related("indicator")

    def point_item(point: DataPoint, meta: str = "") -> Item:
        return Item(
            _point_text(point, partner=False),
            _entry_url(organization, point),
            meta or point.indicator.format_value(point.value),
        )

    return [
        _listed(
            "owed",
            gettext_lazy("What we owe"),
            owed,
            lambda o: Item(
                f"{o.indicator.name} · {o.period.key}",
                _entry_url(organization, o),
                (_("overdue since %(date)s") if o.due < today else _("due %(date)s"))
                % {"date": _day(o.due)},
                warn=o.due < today,
            ),
            see_all=org_url(organization, "measures:index"),
            empty=gettext_lazy("Nothing is owed now."),
            links=_upload_links(organization, owed),
        ),
        _section(
            "returned",
            gettext_lazy("Values returned to fix"),
            points.filter(status=Status.RETURNED).order_by("-updated_at", "-pk"),
            lambda p: Item(
                _point_text(p, partner=False),
                _entry_url(organization, p),
                _("Returned: %(reason)s") % {"reason": p.return_reason or _("no reason given")},
                warn=True,
            ),
            empty=gettext_lazy("Nothing was returned."),
        ),
        *(
            _section(
                key,
                title,
                points.filter(status=status).order_by("-updated_at", "-pk"),
                point_item,
                empty=empty,
            )
            for key, title, status, empty in (
                (
                    "submitted",
                    gettext_lazy("Values awaiting approval"),
                    Status.SUBMITTED,
                    gettext_lazy("Nothing waits for the backbone."),
                ),
                (
                    "approved",
                    gettext_lazy("Recently approved"),
                    Status.APPROVED,
                    gettext_lazy("Nothing approved yet."),
                ),
            )
        ),
        _section(
            "commitments",
            gettext_lazy("Our commitments"),
            rows_visible_to(membership, Commitment)
            .only("role", "initiative__name")
            .filter(partner=partner)
            .order_by("initiative__name", "pk"),
            lambda c: Item(
                c.initiative.name,
                org_url(organization, "initiatives:commitments", initiative_id=c.initiative_id),
                c.get_role_display(),
            ),
            empty=gettext_lazy("No commitment recorded."),
        ),
        events_section(membership),
        capacity_section(partner),
    ]


def _memoized(membership: Membership) -> Membership:
    """A copy of the membership on which the initiatives it sees and its partner are looked
    up once for the whole home (`initiatives_visible_to`, `partner_of`), not per section."""
    membership = copy(membership)
    membership.memo = {}
    return membership


def capacity_section(partner) -> Section:
    """The partner's capacity self-assessments, this year's first, asked for when missing
    (one query)."""
    organization = partner.organization
    answer_url = org_url(organization, "stakeholders:capacity_answer", partner_id=partner.pk)
    rows = list(capacity_history(partner)[:SHOWN])
    year = capacity_year(organization)
    items = [
        Item(
            _("Capacity in %(year)s") % {"year": row.year},
            answer_url
            if row.year == year
            else org_url(organization, "stakeholders:partner_detail", partner_id=partner.pk),
            _("answered %(date)s") % {"date": _day(row.answered_at)},
        )
        for row in rows
    ]
    if not rows or rows[0].year != year:
        items.insert(
            0,
            Item(
                _("Tell the backbone about your capacity in %(year)s") % {"year": year},
                answer_url,
                _("five questions, once a year"),
                warn=True,
            ),
        )
    return Section(
        "capacity",
        str(gettext_lazy("Our capacity")),
        len(rows),
        items[:SHOWN],
        answer_url,
        "",
    )


# Sections of a roundtable member


def roundtable_sections(membership: Membership) -> list:
    organization = membership.organization
    versions = (
        versions_visible_to(membership)
        .select_related(None)
        .select_related("plan__initiative")
        .only("number", "adopted_on", "plan__initiative__name")
        .filter(plan__initiative__archived_at=None)
    )
    indicators = measures.indicators_visible_to(membership).filter(
        is_active=True, initiative__archived_at=None
    )
    # Population results first: they are what a roundtable steers by.
    indicators = indicators.order_by("-level", "initiative__name", "name")

    def with_trends(rows: list) -> None:
        series = measures.approved_series_for(rows)
        for indicator in rows:
            points = series.get(indicator.pk, [])
            indicator.latest = points[-1][1] if points else None
            indicator.status = measures.indicator_status(indicator, points, targets=[])

    return [
        _section(
            "drafts",
            gettext_lazy("Drafts open for comment"),
            versions.filter(status=PlanVersion.Status.DRAFT).order_by("-updated_at"),
            lambda v: Item(
                f"{v.plan.initiative.name} · " + _("version %(n)s") % {"n": v.number},
                org_url(organization, "plans:version_detail", version_id=v.pk),
            ),
            empty=gettext_lazy("No draft is open."),
        ),
        _section(
            "cards",
            gettext_lazy("Latest report cards"),
            report_cards_visible_to(membership)
            .select_related(None)
            .select_related("initiative")
            .only("period", "issued_at", "initiative__name")
            .filter(status=ReportCard.Status.ISSUED)
            .order_by("-issued_at", "-pk"),
            lambda c: Item(
                f"{c.initiative.name} · {c.period}",
                org_url(organization, "plans:report_card_detail", report_card_id=c.pk),
                _day(c.issued_at) if c.issued_at else "",
            ),
            empty=gettext_lazy("No report card issued yet."),
        ),
        _section(
            "plans",
            gettext_lazy("Latest plans"),
            versions.filter(status=PlanVersion.Status.ADOPTED).order_by("-adopted_on", "-pk"),
            lambda v: Item(
                f"{v.plan.initiative.name} · " + _("version %(n)s") % {"n": v.number},
                org_url(organization, "plans:version_detail", version_id=v.pk),
                _("adopted %(date)s") % {"date": _day(v.adopted_on)} if v.adopted_on else "",
            ),
            see_all=org_url(organization, "plans:index"),
            empty=gettext_lazy("No plan adopted yet."),
        ),
        _section(
            "indicators",
            gettext_lazy("Key indicators"),
            indicators,
            lambda i: Item(
                f"{i.name} · {i.initiative.name}",
                org_url(organization, "measures:indicator_detail", indicator_id=i.pk),
                f"{i.format_value(i.latest)} · {i.status.trend_label}",
                warn=i.status.trend == "worsening",
            ),
            see_all=org_url(organization, "measures:index"),
            empty=gettext_lazy("No indicator yet."),
            prepare=with_trends,
        ),
    ]


def home_sections(membership: Membership) -> list[Section]:
    membership = _memoized(membership)
    today = timezone.localdate()
    now = timezone.now()
    if membership.role == Role.ADMIN:
        return admin_sections(membership, today, now)
    if membership.role == Role.COORDINATOR:
        return coordinator_sections(membership, today, now)
    if membership.role == Role.PARTNER:
        return partner_sections(membership, today)
    return roundtable_sections(membership)
