"""The handover report of an initiative: what a new backbone team needs to know, as one
tagged PDF (rendered by a job, like the plan's).

Its sections are a registry: each is a function of the initiative that returns a `Part`
(tables and lines of plain text), registered with `@handover_section(order, title)`; the report
prints them in that order and leaves out those that return None (nothing to say). A
feature built later (agreements, reflections, effectiveness reviews) adds its part with
one decorated function, without touching the template.
"""

from __future__ import annotations

import datetime
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field

from django.db.models import Count, Q
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from initiatives.models import (
    ActionItem,
    Component,
    Deliverable,
    EngagementLevel,
    Initiative,
    InitiativePartner,
    Participation,
    PhaseTransition,
    ReadinessItem,
    ReflectionNote,
    Risk,
    RiskStatus,
    Team,
    WorkStatus,
)
from measures.models import Agreement, DataPoint, DataRequest, Indicator
from stakeholders.models import (
    CAPACITY_DIMENSIONS,
    CapacityAssessment,
    Interaction,
    InteractionKind,
)

from .models import Review
from .pdf import accessible_pdf
from .selectors.review import review_answers, review_results


@dataclass
class Table:
    caption: str
    headers: list[str]
    rows: list[list[str]]
    empty: str = ""


@dataclass
class Part:
    key: str
    title: str
    lines: list[str] = field(default_factory=list)  # short paragraphs
    tables: list[Table] = field(default_factory=list)


HANDOVER_SECTIONS: list[tuple[int, str, Callable[[Initiative], Part | None]]] = []


def handover_section(order: int, title):
    """Register a section builder: `f(initiative) -> Part | None`, printed by `order`;
    `title` (lazy) is what the report's page says it holds, before it is made."""

    def register(builder: Callable[[Initiative], Part | None]):
        HANDOVER_SECTIONS.append((order, title, builder))
        HANDOVER_SECTIONS.sort(key=lambda entry: entry[0])
        return builder

    return register


def handover_titles() -> list[str]:
    return [str(title) for _order, title, _build in HANDOVER_SECTIONS]


def handover_parts(initiative: Initiative) -> list[Part]:
    return [part for _order, _title, build in HANDOVER_SECTIONS if (part := build(initiative))]


def _day(value: datetime.date | datetime.datetime | None) -> str:
    if value is None:
        return "—"
    if isinstance(value, datetime.datetime):
        value = timezone.localtime(value)
    return date_format(value, "SHORT_DATE_FORMAT")


def _person(contact) -> str:
    return contact.full_name if contact else "—"


@handover_section(10, gettext_lazy("Where it stands"))
def where_it_stands(initiative: Initiative) -> Part:
    items = ReadinessItem.objects.filter(initiative=initiative, phase=initiative.phase)
    done = Counter(i.component for i in items if i.done_on)
    total = Counter(i.component for i in items)
    readiness = Table(
        _("Readiness for the current phase"),
        [_("Component"), _("Done")],
        [[str(Component(c).label), f"{done[c]} / {n}"] for c, n in sorted(total.items())],
        _("No readiness checklist."),
    )
    deliverables = Table(
        _("Deliverables"),
        [_("Deliverable"), _("Status"), _("Owner"), _("Due")],
        [
            [d.title, d.get_status_display(), _person(d.owner), _day(d.due_date)]
            for d in Deliverable.objects.filter(initiative=initiative).select_related("owner")
        ],
        _("No deliverables."),
    )
    transitions = [
        _("%(when)s: from %(from)s to %(to)s. %(note)s")
        % {"when": _day(t.at), "from": t.get_from_phase_display(),
           "to": t.get_to_phase_display(), "note": t.note}
        for t in PhaseTransition.objects.filter(initiative=initiative).order_by("-at")[:5]
    ]  # fmt: skip
    return Part(
        "standing",
        _("Where it stands"),
        [
            _("Phase: %(phase)s. Started %(start)s.")
            % {"phase": initiative.get_phase_display(), "start": _day(initiative.start_date)},
            *transitions,
        ],
        [readiness, deliverables],
    )


@handover_section(20, gettext_lazy("Governance"))
def governance(initiative: Initiative) -> Part:
    teams = Team.objects.filter(initiative=initiative).prefetch_related("members__contact")
    lines = []
    if initiative.sponsor_id:
        lines.append(_("Sponsor / fiscal agent: %(name)s.") % {"name": initiative.sponsor})
    table = Table(
        _("Tables and teams, and who sits where"),
        [_("Team"), _("Kind"), _("Members (seat)")],
        [
            [
                team.name,
                team.get_kind_display(),
                "; ".join(
                    f"{m.contact.full_name} ({m.seat})" if m.seat else m.contact.full_name
                    for m in team.members.all()
                )
                or "—",
            ]
            for team in teams
        ],
        _("No team yet."),
    )
    return Part("governance", _("Governance"), lines, [table])


@handover_section(30, gettext_lazy("Shared measurement"))
def indicators(initiative: Initiative) -> Part:
    rows = Indicator.objects.filter(initiative=initiative).select_related("champion")
    requests = DataRequest.objects.filter(
        indicator__initiative=initiative, excluded=False
    ).select_related("partner")
    reporting: dict[int, set[str]] = {}
    for request in requests:
        reporting.setdefault(request.indicator_id, set()).add(request.partner.name)
    approved = dict(
        DataPoint.objects.filter(indicator__initiative=initiative, status=DataPoint.Status.APPROVED)
        .order_by("indicator_id", "period")
        .values_list("indicator_id", "period")
    )
    table = Table(
        _("Indicators, their champions and data flows"),
        [_("Indicator"), _("Champion"), _("Frequency"), _("Reported by"), _("Latest approved")],
        [
            [
                i.name,
                _person(i.champion),
                i.get_frequency_display(),
                ", ".join(sorted(reporting.get(i.pk, ()))) or "—",
                approved.get(i.pk, "—"),
            ]
            for i in rows
        ],
        _("No indicators."),
    )
    return Part("indicators", _("Shared measurement"), [], [table])


@handover_section(40, gettext_lazy("Open risks and action items"))
def risks_and_actions(initiative: Initiative) -> Part:
    risks = Table(
        _("Open risks"),
        [_("Risk"), _("Likelihood"), _("Impact"), _("Owner"), _("Mitigation")],
        [
            [r.description, r.get_likelihood_display(), r.get_impact_display(),
             _person(r.owner), r.mitigation]
            for r in Risk.objects.filter(initiative=initiative)
            .exclude(status=RiskStatus.CLOSED)
            .select_related("owner")
        ],
        _("No open risk."),
    )  # fmt: skip
    actions = Table(
        _("Open action items"),
        [_("Action"), _("Lead"), _("Due"), _("Status")],
        [
            [a.title, _person(a.lead), _day(a.due_date), a.get_status_display()]
            for a in ActionItem.objects.filter(initiative=initiative)
            .exclude(status=WorkStatus.DONE)
            .select_related("lead")
            .order_by("due_date", "pk")
        ],
        _("No open action item."),
    )
    return Part("risks", _("Open risks and action items"), [], [risks, actions])


KEY_LEVELS = (EngagementLevel.COLLABORATE, EngagementLevel.EMPOWER, EngagementLevel.INVOLVE)


@handover_section(50, gettext_lazy("Key contacts and relationships"))
def people(initiative: Initiative) -> Part:
    participants = (
        Participation.objects.filter(initiative=initiative)
        .filter(Q(level__in=KEY_LEVELS) | Q(roles__isnull=False))
        .distinct()
        .select_related("contact__partner")
        .prefetch_related("roles")
    )
    contacts = Table(
        _("Key contacts"),
        [_("Name"), _("Works at"), _("Roles"), _("Engagement"), _("E-mail")],
        [
            [p.contact.full_name, str(p.contact.partner or "—"),
             ", ".join(r.get_role_display() for r in p.roles.all()) or "—",
             p.get_level_display(), p.contact.email or "—"]
            for p in participants
        ],
        _("No key contact recorded."),
    )  # fmt: skip
    partners = Table(
        _("Partners at the table"),
        [_("Partner"), _("Role"), _("Since")],
        [
            [link.partner.name, link.get_role_display(), _day(link.joined_on)]
            for link in InitiativePartner.objects.filter(initiative=initiative)
            .select_related("partner")
            .order_by("partner__name")
        ],
        _("No partner yet."),
    )
    since = timezone.now() - datetime.timedelta(days=365)
    history = Interaction.objects.filter(
        contact__participations__initiative=initiative, occurred_at__gte=since
    )
    kinds = Counter(history.values_list("kind", flat=True))
    summary = ", ".join(
        f"{InteractionKind(kind).label}: {count}" for kind, count in sorted(kinds.items())
    )
    lines = [
        _("The relationship history of its people over the past year: %(summary)s.")
        % {"summary": summary or _("nothing recorded")}
    ]
    return Part("people", _("Key contacts and relationships"), lines, [contacts, partners])


@handover_section(60, gettext_lazy("Partner capacity"))
def capacity(initiative: Initiative) -> Part | None:
    partners = InitiativePartner.objects.filter(initiative=initiative).values("partner")
    latest: dict[int, CapacityAssessment] = {}
    for row in CapacityAssessment.objects.filter(partner__in=partners).select_related("partner"):
        if row.partner_id not in latest or row.year > latest[row.partner_id].year:
            latest[row.partner_id] = row
    if not latest:
        return None
    table = Table(
        _("Latest self-assessment of each partner, 1 (needs a lot of help) to 4 (a strength)"),
        [_("Partner"), _("Year"), *[str(label) for _n, label, _q in CAPACITY_DIMENSIONS]],
        [
            [row.partner.name, str(row.year), *[str(a["score"]) for a in row.answers]]
            for row in sorted(latest.values(), key=lambda r: r.partner.name)
        ],
    )
    return Part("capacity", _("Partner capacity"), [], [table])


@handover_section(70, gettext_lazy("Agreements"))
def agreements(initiative: Initiative) -> Part | None:
    today = timezone.localdate(timezone=initiative.organization.tzinfo)
    rows = list(
        Agreement.objects.filter(initiative=initiative)
        .prefetch_related("parties")
        .order_by("expires_on", "title")
    )
    if not rows:
        return None
    table = Table(
        _("Agreements, the soonest to expire first"),
        [_("Agreement"), _("Kind"), _("Parties"), _("Status"), _("Signed"), _("Expires")],
        [
            [
                a.title,
                a.get_kind_display(),
                ", ".join(p.name for p in a.parties.all()) or "—",
                a.current_status_label(today),
                _day(a.signed_on),
                _day(a.expires_on),
            ]
            for a in rows
        ],
    )
    return Part("agreements", _("Agreements"), [], [table])


@handover_section(80, gettext_lazy("Reflections"))
def reflections(initiative: Initiative) -> Part | None:
    notes = list(
        ReflectionNote.objects.filter(initiative=initiative, closed_by__isnull=True)
        .annotate(vote_count=Count("votes"))
        .order_by("question", "-vote_count", "created_at")
    )
    if not notes:
        return None
    table = Table(
        _("The reflection board of the current phase"),
        [_("Question"), _("Note"), _("Votes")],
        [[n.get_question_display(), n.text, str(n.vote_count)] for n in notes],
    )
    return Part("reflections", _("Reflections"), [], [table])


@handover_section(90, gettext_lazy("How partners rate the backbone"))
def effectiveness(initiative: Initiative) -> Part | None:
    review = (
        Review.objects.filter(
            Q(initiative=initiative) | Q(initiative__isnull=True), status=Review.Status.CLOSED
        )
        .order_by("-year", "initiative_id")
        .first()
    )
    if review is None:
        return None
    results = review_results(review, review_answers(review))
    table = Table(
        _("Backbone effectiveness review %(year)s: the mean of 1–5 ratings")
        % {"year": review.year},
        [_("Function"), _("Partners"), _("Answers"), _("Our own view")],
        [
            [
                str(f.function.label),
                f"{f.mean:.1f}" if f.mean is not None else _("Too few answers to show"),
                str(f.count),
                f"{f.self_mean:.1f}" if f.self_mean is not None else "—",
            ]
            for f in results.functions
        ],
    )
    lines = [review.response] if review.response else []
    return Part("effectiveness", _("How partners rate the backbone"), lines, [table])


def handover_html(initiative: Initiative) -> str:
    return render_to_string(
        "plans/pdf/handover.html",
        {
            "initiative": initiative,
            "organization": initiative.organization,
            "parts": handover_parts(initiative),
            "generated_at": timezone.localtime(),
        },
    )


def handover_pdf_bytes(initiative: Initiative) -> bytes:
    return accessible_pdf(handover_html(initiative))
