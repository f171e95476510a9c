"""Weekly newsletters: drafting, audiences, sending exactly once, unsubscribing and clicks.

Sending is built so that a retry, a restarted worker or a second click never
mails anyone the same issue twice: there is one Delivery row per (newsletter,
contact), unique in the database; a worker claims pending rows with a claim
token, re-checks consent, hands each mail to the SMTP server and marks the row
sent straight after the server accepted it. The only window for a duplicate is a
worker killed between the server's "250 OK" and that one UPDATE; rows left
"sending" by a dead worker are taken back after LEASE.
"""

from __future__ import annotations

import datetime as dt
import smtplib
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import transaction
from django.db.models import Count, F, Q, QuerySet
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.html import escape
from django.utils.translation import gettext as _
from django_scopes import scope

from backbone.markdown import render_markdown
from backbone.models import Organization, User
from backbone.tasks import enqueue
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
from stakeholders.models import ConsentStatus, Contact, InteractionKind, Partner
from stakeholders.selectors import contacts_reachable_by_email
from stakeholders.services import consent_unsubscribe, interaction_record

from .newsletter_models import Delivery, InitiativeOptOut, LinkClick, Newsletter, NewsletterItem

LEASE = dt.timedelta(minutes=10)
MAX_ATTEMPTS = 5
TOKEN_MAX_AGE = dt.timedelta(days=400)
UNSUBSCRIBE_SALT = "plans.newsletter.unsubscribe"
CLICK_SALT = "plans.newsletter.click"


class TransientSendError(Exception):
    """The mail server could not be reached; the claimed rows went back to waiting."""


# Weeks and drafting ----------------------------------------------------------


def local_now(organization: Organization, now: dt.datetime | None = None) -> dt.datetime:
    return (now or timezone.now()).astimezone(organization.tzinfo)


def week_monday(organization: Organization, now: dt.datetime | None = None) -> dt.date:
    today = local_now(organization, now).date()
    return today - dt.timedelta(days=today.weekday())


def weekly_moment(organization: Organization, now: dt.datetime | None = None) -> dt.datetime:
    """This week's drafting moment: the chosen weekday and hour in the organization's zone."""
    monday = week_monday(organization, now)
    day = monday + dt.timedelta(days=organization.newsletter_weekday)
    naive = dt.datetime.combine(day, dt.time(hour=organization.newsletter_hour))
    return naive.replace(tzinfo=organization.tzinfo)


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
    for indicator in indicators:
        points = series.get(indicator.pk, [])
        if not points:
            continue
        period, value = points[-1]
        yield ItemDraft(
            kind=NewsletterItem.Kind.DATA,
            title=_("New data: %(indicator)s") % {"indicator": indicator.name},
            body=_("%(initiative)s · %(period)s: **%(value)s**. %(definition)s")
            % {
                "initiative": indicator.initiative.name,
                "period": period.key,
                "value": indicator.format_value(value),
                "definition": indicator.definition,
            },
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


def newsletter_collect_items(*, newsletter: Newsletter) -> int:
    """Add what happened in the newsletter's window as items; existing items stay. Returns the count added."""
    organization = newsletter.organization
    existing = set(newsletter.items.exclude(source_key="").values_list("source_key", flat=True))
    position = (
        newsletter.items.order_by("-position").values_list("position", flat=True).first() or 0
    )
    new_items = []
    for collector in ITEM_COLLECTORS:
        for draft in collector(organization, newsletter.covers_from, newsletter.covers_until):
            if draft.source_key in existing:
                continue
            existing.add(draft.source_key)
            position += 1
            new_items.append(
                NewsletterItem(
                    organization=organization,
                    newsletter=newsletter,
                    kind=draft.kind,
                    title=draft.title[:200],
                    body=draft.body,
                    url=draft.url,
                    chart_svg=draft.chart_svg,
                    source_key=draft.source_key,
                    position=position,
                )
            )
    NewsletterItem.objects.bulk_create(new_items)
    return len(new_items)


def _previous_until(organization: Organization) -> dt.datetime | None:
    return (
        Newsletter.objects.filter(organization=organization)
        .order_by("-covers_until")
        .values_list("covers_until", flat=True)
        .first()
    )


@transaction.atomic
def newsletter_draft_weekly(
    *, organization: Organization, now: dt.datetime | None = None
) -> Newsletter | None:
    """Draft this week's issue once its moment has come; safe to call any number of times."""
    now = now or timezone.now()
    if now < weekly_moment(organization, now):
        return None
    week_of = week_monday(organization, now)
    existing = Newsletter.objects.filter(
        organization=organization, week_of=week_of, drafted_by_job=True
    ).first()
    if existing:
        return existing
    newsletter = newsletter_create(organization=organization, now=now, drafted_by_job=True)
    return newsletter


@transaction.atomic
def newsletter_create(
    *,
    organization: Organization,
    now: dt.datetime | None = None,
    created_by: User | None = None,
    drafted_by_job: bool = False,
) -> Newsletter:
    now = now or timezone.now()
    since = _previous_until(organization) or now - dt.timedelta(days=7)
    week_of = week_monday(organization, now)
    with translation.override(organization.language):
        subject = _("%(organization)s — week of %(date)s") % {
            "organization": organization.name,
            "date": date_format(week_of, "DATE_FORMAT"),
        }
    newsletter = Newsletter.objects.create(
        organization=organization,
        subject=subject,
        week_of=week_of,
        covers_from=since,
        covers_until=now,
        drafted_by_job=drafted_by_job,
        created_by=created_by,
    )
    newsletter_collect_items(newsletter=newsletter)
    return newsletter


# Editing ----------------------------------------------------------------------


def _ensure_editable(newsletter: Newsletter) -> None:
    if not newsletter.is_editable:
        raise ValidationError(_("This issue is already being sent and can no longer change."))


def item_move(*, item: NewsletterItem, direction: int) -> None:
    """Swap the item with its neighbour above (direction=-1) or below (+1)."""
    _ensure_editable(item.newsletter)
    items = list(item.newsletter.items.order_by("position", "id"))
    index = next(i for i, other in enumerate(items) if other.pk == item.pk)
    target = index + direction
    if not 0 <= target < len(items):
        return
    items[index], items[target] = items[target], items[index]
    for position, other in enumerate(items, start=1):
        if other.position != position:
            other.position = position
            other.save(update_fields=["position"])


def item_add_note(
    *, newsletter: Newsletter, title: str, body: str, url: str = ""
) -> NewsletterItem:
    _ensure_editable(newsletter)
    last = newsletter.items.order_by("-position").values_list("position", flat=True).first() or 0
    return NewsletterItem.objects.create(
        organization=newsletter.organization,
        newsletter=newsletter,
        kind=NewsletterItem.Kind.NOTE,
        title=title,
        body=body,
        url=url,
        position=last + 1,
    )


# Audience -------------------------------------------------------------------


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


def newsletter_audience(newsletter: Newsletter) -> QuerySet[Contact]:
    """Who receives it: only people the registry says may be e-mailed, narrowed by the audience."""
    return _narrow(contacts_reachable_by_email(newsletter.organization), newsletter)


def audience_counts(newsletter: Newsletter) -> dict[str, int]:
    everyone = _narrow(
        Contact.objects.filter(organization=newsletter.organization), newsletter
    ).count()
    recipients = newsletter_audience(newsletter).count()
    return {"recipients": recipients, "excluded": everyone - recipients}


# Sending ----------------------------------------------------------------------


def _check_sendable(newsletter: Newsletter) -> None:
    if newsletter.status not in (Newsletter.Status.DRAFT, Newsletter.Status.SCHEDULED):
        raise ValidationError(_("This issue was already sent."))
    if not newsletter.items.filter(included=True).exists() and not newsletter.introduction.strip():
        raise ValidationError(
            _("This issue has no items and no introduction: add something to say first.")
        )
    if not newsletter_audience(newsletter).exists():
        raise ValidationError(
            _(
                "Nobody in this audience agreed to receive e-mail. Widen the audience or record consent first."
            )
        )


@transaction.atomic
def newsletter_schedule(*, newsletter: Newsletter, when: dt.datetime, user: User) -> Newsletter:
    newsletter = Newsletter.objects.select_for_update().get(pk=newsletter.pk)
    if when <= timezone.now():
        raise ValidationError({"scheduled_for": _("Choose a time in the future.")})
    _check_sendable(newsletter)
    newsletter.status = Newsletter.Status.SCHEDULED
    newsletter.scheduled_for = when
    newsletter.sent_by = user
    newsletter.save(update_fields=["status", "scheduled_for", "sent_by"])
    return newsletter


@transaction.atomic
def newsletter_send_now(*, newsletter: Newsletter, user: User | None) -> int:
    """Create one delivery per recipient (once) and start sending. Returns the recipient count."""
    from .newsletter_tasks import send_newsletter  # the tasks module imports this one

    newsletter = Newsletter.objects.select_for_update().get(pk=newsletter.pk)
    if newsletter.status == Newsletter.Status.SENDING:
        return newsletter.deliveries.count()  # a second click: nothing new
    _check_sendable(newsletter)
    recipients = list(newsletter_audience(newsletter).values_list("pk", "email"))
    Delivery.objects.bulk_create(
        [
            Delivery(
                organization=newsletter.organization,
                newsletter=newsletter,
                contact_id=pk,
                email=email,
            )
            for pk, email in recipients
        ],
        ignore_conflicts=True,
        batch_size=1000,
    )
    newsletter.status = Newsletter.Status.SENDING
    newsletter.sending_started_at = timezone.now()
    if user is not None:
        newsletter.sent_by = user
    newsletter.save(update_fields=["status", "sending_started_at", "sent_by"])
    enqueue(
        send_newsletter, organization_id=newsletter.organization_id, newsletter_id=newsletter.pk
    )
    return len(recipients)


def _absolute(path: str) -> str:
    return settings.SITE_URL + path


def make_token(delivery: Delivery, salt: str, **extra) -> str:
    return signing.dumps(
        {"o": delivery.organization_id, "d": delivery.pk, **extra}, salt=salt, compress=True
    )


def read_token(token: str, salt: str) -> dict:
    """The token's payload, or signing.BadSignature (malformed) / SignatureExpired (too old)."""
    return signing.loads(token, salt=salt, max_age=TOKEN_MAX_AGE)


def unsubscribe_url(delivery: Delivery) -> str:
    return _absolute(
        reverse("newsletter_unsubscribe", kwargs={"token": make_token(delivery, UNSUBSCRIBE_SALT)})
    )


def tracked_url(delivery: Delivery, url: str) -> str:
    return _absolute(
        reverse("newsletter_click", kwargs={"token": make_token(delivery, CLICK_SALT, u=url)})
    )


@dataclass
class RenderedIssue:
    subject: str
    text: str
    html: str


UNSUBSCRIBE_MARK = "https://backbone.invalid/unsubscribe"
PREFERENCES_MARK = "https://backbone.invalid/preferences"
LINK_MARK = "https://backbone.invalid/link/{}"


class IssueTemplate:
    """The issue rendered once; each recipient's copy only swaps in their own links.

    Rendering Markdown and two templates per recipient would cost more than the
    SMTP round trip, so the per-recipient links are placeholders here.
    """

    def __init__(self, newsletter: Newsletter):
        self.newsletter = newsletter
        items = list(newsletter.items.filter(included=True).order_by("position", "id"))
        self.urls = [item.url for item in items]
        entries = [
            {
                "item": item,
                "html": render_markdown(item.body),
                "url": LINK_MARK.format(index) if item.url else "",
            }
            for index, item in enumerate(items)
        ]
        context = {
            "newsletter": newsletter,
            "organization": newsletter.organization,
            "introduction_html": render_markdown(newsletter.introduction),
            "entries": entries,
            "unsubscribe_url": UNSUBSCRIBE_MARK,
            "preferences_url": PREFERENCES_MARK,
        }
        with translation.override(newsletter.organization.language):
            self.text = render_to_string("plans/email/newsletter.txt", context)
            self.html = render_to_string("plans/email/newsletter.html", context)

    def _fill(self, body: str, links: dict[str, str]) -> str:
        for mark, url in links.items():
            body = body.replace(mark, url)
        return body

    def render(self, delivery: Delivery | None = None) -> RenderedIssue:
        if delivery is None:
            links = {LINK_MARK.format(i): url for i, url in enumerate(self.urls)}
            links |= {UNSUBSCRIBE_MARK: "#unsubscribe", PREFERENCES_MARK: "#preferences"}
        else:
            links = {
                LINK_MARK.format(i): tracked_url(delivery, url)
                for i, url in enumerate(self.urls)
                if url
            }
            links[UNSUBSCRIBE_MARK] = unsubscribe_url(delivery)
            links[PREFERENCES_MARK] = preferences_url(delivery)
        return RenderedIssue(
            subject=self.newsletter.subject,
            text=self._fill(self.text, links),
            html=self._fill(self.html, {mark: escape(url) for mark, url in links.items()}),
        )


def preferences_url(delivery: Delivery) -> str:
    return _absolute(
        reverse("newsletter_preferences", kwargs={"token": make_token(delivery, UNSUBSCRIBE_SALT)})
    )


def render_issue(newsletter: Newsletter, delivery: Delivery | None = None) -> RenderedIssue:
    """The issue as one recipient sees it (links tracked and unsubscribe link when `delivery`)."""
    return IssueTemplate(newsletter).render(delivery)


def _message(template: IssueTemplate, delivery: Delivery) -> EmailMultiAlternatives:
    issue = template.render(delivery)
    newsletter = template.newsletter
    url = unsubscribe_url(delivery)
    message = EmailMultiAlternatives(
        subject=issue.subject,
        body=issue.text,
        to=[delivery.email],
        headers={
            "Message-ID": delivery.message_id,
            # RFC 2369 and RFC 8058 one-click unsubscribe, as large mail providers require.
            "List-Unsubscribe": f"<{url}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            "List-Id": f"{newsletter.organization.name} <newsletter.{newsletter.organization.slug}>",
        },
    )
    message.attach_alternative(issue.html, "text/html")
    return message


def newsletter_send_test(*, newsletter: Newsletter, user: User) -> None:
    issue = render_issue(newsletter)
    message = EmailMultiAlternatives(
        subject=_("[Test] %(subject)s") % {"subject": issue.subject},
        body=issue.text,
        to=[user.email],
    )
    message.attach_alternative(issue.html, "text/html")
    message.send()


def _reclaim_stale(newsletter: Newsletter) -> None:
    Delivery.objects.filter(
        newsletter=newsletter, status=Delivery.Status.SENDING, claimed_at__lt=timezone.now() - LEASE
    ).update(status=Delivery.Status.PENDING, claim="")


def _claim_batch(newsletter: Newsletter, size: int) -> list[Delivery]:
    claim = uuid.uuid4().hex
    ids = list(
        Delivery.objects.filter(newsletter=newsletter, status=Delivery.Status.PENDING)
        .order_by("pk")
        .values_list("pk", flat=True)[:size]
    )
    if not ids:
        return []
    Delivery.objects.filter(pk__in=ids, status=Delivery.Status.PENDING).update(
        status=Delivery.Status.SENDING,
        claim=claim,
        claimed_at=timezone.now(),
        attempts=F("attempts") + 1,
    )
    return list(Delivery.objects.filter(claim=claim).select_related("contact").order_by("pk"))


def deliveries_send(*, newsletter: Newsletter, batch_size: int = 200) -> dict[str, int]:
    """Send every waiting delivery of `newsletter`. Safe to run again, and in parallel.

    Raises TransientSendError when the mail server can't be reached (the
    caller retries later); per-recipient refusals are marked failed.
    """
    counts = {"sent": 0, "skipped": 0, "failed": 0}
    _reclaim_stale(newsletter)
    template = IssueTemplate(newsletter)
    while batch := _claim_batch(newsletter, batch_size):
        connection = get_connection()
        try:
            connection.open()
        except (OSError, smtplib.SMTPException) as exc:
            _release(batch, str(exc))
            raise TransientSendError(str(exc)) from exc
        try:
            for index, delivery in enumerate(batch):
                contact = (
                    Contact.objects.filter(pk=delivery.contact_id)
                    .values("consent", "email")
                    .first()
                )
                if (
                    contact is None
                    or contact["consent"] != ConsentStatus.GIVEN
                    or not contact["email"]
                ):
                    _finish(
                        delivery, Delivery.Status.SKIPPED, error=_("No consent at sending time.")
                    )
                    counts["skipped"] += 1
                    continue
                delivery.email = contact["email"]
                try:
                    connection.send_messages([_message(template, delivery)])
                except smtplib.SMTPRecipientsRefused as exc:
                    _finish(delivery, Delivery.Status.FAILED, error=str(exc.recipients)[:1000])
                    counts["failed"] += 1
                    continue
                except (OSError, smtplib.SMTPException) as exc:
                    _release(batch[index:], str(exc))
                    raise TransientSendError(str(exc)) from exc
                _finish(delivery, Delivery.Status.SENT)
                counts["sent"] += 1
                interaction_record(
                    contact=delivery.contact,
                    kind=InteractionKind.NEWSLETTER,
                    summary=_("Received the newsletter “%(subject)s”.")
                    % {"subject": newsletter.subject},
                )
        finally:
            connection.close()
    if not newsletter.deliveries.filter(
        status__in=[Delivery.Status.PENDING, Delivery.Status.SENDING]
    ).exists():
        Newsletter.objects.filter(pk=newsletter.pk, status=Newsletter.Status.SENDING).update(
            status=Newsletter.Status.SENT, sent_at=timezone.now()
        )
    return counts


def _finish(delivery: Delivery, status: str, error: str = "") -> None:
    Delivery.objects.filter(pk=delivery.pk).update(
        status=status,
        sent_at=timezone.now() if status == Delivery.Status.SENT else None,
        error=error,
        claim="",
    )


def _release(deliveries: list[Delivery], reason: str) -> None:
    """Give claimed rows back; those tried too often are marked failed with the reason."""
    ids = [d.pk for d in deliveries]
    Delivery.objects.filter(
        pk__in=ids, status=Delivery.Status.SENDING, attempts__gte=MAX_ATTEMPTS
    ).update(status=Delivery.Status.FAILED, error=reason[:1000], claim="")
    Delivery.objects.filter(pk__in=ids, status=Delivery.Status.SENDING).update(
        status=Delivery.Status.PENDING, error=reason[:1000], claim=""
    )


def newsletters_due(
    organization: Organization, now: dt.datetime | None = None
) -> QuerySet[Newsletter]:
    return Newsletter.objects.filter(
        organization=organization,
        status=Newsletter.Status.SCHEDULED,
        scheduled_for__lte=now or timezone.now(),
    )


# Unsubscribe, preferences, clicks --------------------------------------------------


def delivery_from_token(token: str, salt: str) -> tuple[Delivery, dict]:
    payload = read_token(token, salt)
    organization = Organization.objects.get(pk=payload["o"])
    with scope(organization=organization):
        delivery = Delivery.objects.select_related("contact", "newsletter", "organization").get(
            pk=payload["d"], organization=organization
        )
    return delivery, payload


@transaction.atomic
def delivery_unsubscribe(*, delivery: Delivery) -> None:
    """The recipient asked for no more mail: recorded on their consent history at once."""
    if delivery.contact.consent != ConsentStatus.WITHDRAWN:
        consent_unsubscribe(contact=delivery.contact)
    if delivery.unsubscribed_at is None:
        Delivery.objects.filter(pk=delivery.pk).update(unsubscribed_at=timezone.now())


@transaction.atomic
def preferences_save(*, delivery: Delivery, initiatives_wanted: Iterable[Initiative]) -> None:
    contact = delivery.contact
    wanted = {i.pk for i in initiatives_wanted}
    all_ids = set(
        Initiative.objects.filter(organization=contact.organization_id).values_list("pk", flat=True)
    )
    InitiativeOptOut.objects.filter(contact=contact, initiative_id__in=wanted).delete()
    for initiative_id in sorted(all_ids - wanted):
        InitiativeOptOut.objects.get_or_create(
            organization_id=contact.organization_id, contact=contact, initiative_id=initiative_id
        )
    names = ", ".join(
        Initiative.objects.filter(pk__in=wanted).order_by("name").values_list("name", flat=True)
    )
    interaction_record(
        contact=contact,
        kind=InteractionKind.CONSENT,
        summary=_("Chose which initiatives to hear about: %(names)s.")
        % {"names": names or _("none")},
    )


def click_record(*, delivery: Delivery, url: str) -> str:
    """Record a click and return where to send the reader (only http and https links)."""
    if urlsplit(url).scheme not in ("http", "https"):
        raise ValidationError("Not a web link")
    LinkClick.objects.create(organization_id=delivery.organization_id, delivery=delivery, url=url)
    return url


def newsletter_stats(newsletters: QuerySet[Newsletter]) -> QuerySet[Newsletter]:
    """Annotate delivered / failed / unsubscribed / clicks counts in one query."""
    return newsletters.annotate(
        delivered=Count(
            "deliveries", filter=Q(deliveries__status=Delivery.Status.SENT), distinct=True
        ),
        failed=Count(
            "deliveries", filter=Q(deliveries__status=Delivery.Status.FAILED), distinct=True
        ),
        unsubscribed=Count(
            "deliveries", filter=Q(deliveries__unsubscribed_at__isnull=False), distinct=True
        ),
        clicks=Count("deliveries__clicks", distinct=True),
    )
