"""Writes of newsletters: drafting an issue (by hand or by the weekly job), editing its
items, scheduling it and starting to send it.

Starting to send creates one Delivery per recipient; the mails themselves go out in
`plans.services.delivery`, run by the `send_newsletter` job that the caller queues.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from backbone.models import Organization, User

from ..models import Delivery, Newsletter, NewsletterItem
from ..selectors.newsletter import ITEM_COLLECTORS, newsletter_audience

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


# Sending ----------------------------------------------------------------------


def _check_sendable(newsletter: Newsletter) -> None:
    if not newsletter.is_editable:
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
def newsletter_send_now(*, newsletter: Newsletter, user: User | None) -> tuple[int, bool]:
    """Create one delivery per recipient (once) and mark the issue sending. Returns the
    recipient count and whether sending starts now: then the caller queues `send_newsletter`."""
    newsletter = Newsletter.objects.select_for_update().get(pk=newsletter.pk)
    if newsletter.status == Newsletter.Status.SENDING:
        return newsletter.deliveries.count(), False  # a second click: nothing new
    _check_sendable(newsletter)
    recipients = list(newsletter_audience(newsletter).values_list("pk", "email"))
    # After a failed send: who got it keeps their delivery (and is not mailed again);
    # the others are made afresh for the audience as it is now.
    newsletter.deliveries.exclude(status=Delivery.Status.SENT).delete()
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
    newsletter.send_error = ""
    if user is not None:
        newsletter.sent_by = user
    newsletter.save(update_fields=["status", "sending_started_at", "send_error", "sent_by"])
    return len(recipients), True
