"""Notifications: the one way any app tells members that something happened.

Services call `notify(...)`; the rows are listed under the bell (`/o/<slug>/notifications/`)
and mailed by `backbone.mail_notifications` (every minute: the kinds each person wants at
once; from 08:00 in the organization's zone: one daily digest of the rest they want mailed).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Iterable

from django.db import transaction
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.translation import ngettext
from django_scopes import scope

from .mail import language_for, languages_of, send_branded
from .models import (
    Membership,
    Notification,
    NotificationDelivery,
    NotificationKind,
    NotificationPreference,
    Organization,
    Role,
    User,
)

Kind = NotificationKind
Delivery = NotificationDelivery

# What each kind does when the person chose nothing.
DEFAULT_DELIVERY: dict[str, str] = {
    Kind.VALUE_RETURNED: Delivery.NOW,
    Kind.VALUES_SUBMITTED: Delivery.DIGEST,
    Kind.DRAFT_COMMENT: Delivery.DIGEST,
    Kind.PLAN_ADOPTED: Delivery.NOW,
    Kind.REPORT_CARD_ISSUED: Delivery.NOW,
    Kind.INVITATION_ACCEPTED: Delivery.NOW,
    Kind.JOB_FAILED: Delivery.NOW,
    Kind.DATA_DUE: Delivery.DIGEST,
    Kind.AGREEMENT_EXPIRING: Delivery.DIGEST,
    Kind.REVIEW_ANSWERED: Delivery.DIGEST,
    Kind.REVIEW_PUBLISHED: Delivery.NOW,
    Kind.ADMIN_TRANSFER: Delivery.NOW,
}
DIGEST_HOUR = 8  # the daily digest goes out from this local hour on (data-due reminders are written from 07:00)

Recipient = User | Membership | int


def _user_id(recipient: Recipient) -> int:
    if isinstance(recipient, Membership):
        return recipient.user_id
    if isinstance(recipient, User):
        return recipient.pk
    return int(recipient)


def notify(
    *,
    organization: Organization,
    recipients: Iterable[Recipient],
    kind: str,
    key: str,
    title: str | Callable[[], str],
    url: str = "",
) -> int:
    """Tell `recipients` (users, memberships or user ids) about one event, once.

    `key` names the event (e.g. "returned:<data point id>:<version>"): calling again with
    the same key adds nothing for whoever has it already, so retries never duplicate.
    Only current members of `organization` are notified. Returns the members notified.
    `title` may be a function of no argument: it is then written in each recipient's own
    language (`mail.language_for`), as the mail that carries it will be.
    """
    if kind not in Kind.values:
        raise ValueError(f"Unknown notification kind {kind!r}")
    wanted = {_user_id(r) for r in recipients}
    if not wanted:
        return 0
    languages = languages_of(wanted, organization)
    members = list(languages)
    titles: dict[str, str] = {}
    if callable(title):
        for language in set(languages.values()):
            with translation.override(language):
                titles[language] = str(title())
    with scope(organization=organization):
        Notification.objects.bulk_create(
            [
                Notification(
                    organization=organization,
                    user_id=user_id,
                    kind=kind,
                    key=key[:200],
                    title=(titles[languages[user_id]] if titles else str(title))[:300],
                    url=url,
                )
                for user_id in sorted(members)
            ],
            ignore_conflicts=True,
        )
    return len(members)


def members_with_roles(organization: Organization, *roles: str) -> list[int]:
    """User ids of the organization's members with one of `roles`."""
    return list(
        Membership.objects.filter(organization=organization, role__in=roles).values_list(
            "user_id", flat=True
        )
    )


def staff_of(organization: Organization) -> list[int]:
    return members_with_roles(organization, Role.ADMIN, Role.COORDINATOR)


def deliveries_for(user: User) -> dict[str, str]:
    """Each kind's delivery for `user`: their choice, else the kind's default."""
    chosen = dict(NotificationPreference.objects.filter(user=user).values_list("kind", "delivery"))
    return {kind: chosen.get(kind, DEFAULT_DELIVERY[kind]) for kind in Kind.values}


@transaction.atomic
def deliveries_save(*, user: User, choices: dict[str, str]) -> None:
    for kind, delivery in choices.items():
        if kind not in Kind.values or delivery not in Delivery.values:
            raise ValueError(f"Unknown choice {kind}={delivery}")
        NotificationPreference.objects.update_or_create(
            user=user, kind=kind, defaults={"delivery": delivery}
        )


def notifications_mark_read(*, membership: Membership, ids: Iterable[int] | None = None) -> int:
    """Mark the member's notifications read (those in `ids`, or all). Returns how many."""
    rows = Notification.objects.filter(
        organization_id=membership.organization_id, user_id=membership.user_id, read_at=None
    )
    if ids is not None:
        rows = rows.filter(pk__in=list(ids))
    return rows.update(read_at=timezone.now())


def _wanted(organization: Organization, delivery: str) -> Q:
    """Notifications whose recipient's delivery for their kind is `delivery` (the choices
    of this organization's members only)."""
    choices = NotificationPreference.objects.filter(
        user__memberships__organization=organization
    ).values_list("user_id", "kind", "delivery")
    by_choice, unchosen = (
        Q(pk__in=[]),
        Q(kind__in=[kind for kind, d in DEFAULT_DELIVERY.items() if d == delivery]),
    )
    for user_id, kind, chosen in choices:
        if chosen == delivery:
            by_choice |= Q(user_id=user_id, kind=kind)
        else:
            unchosen &= ~Q(user_id=user_id, kind=kind)
    return by_choice | unchosen


def _claim(rows, **marks) -> list[Notification]:
    """Take the rows nobody has mailed yet, marking them so a retry or a second worker
    leaves them alone."""
    with transaction.atomic():
        claimed = list(
            rows.select_for_update(skip_locked=True, of=("self",)).select_related("user")
        )
        Notification.objects.filter(pk__in=[n.pk for n in claimed]).update(**marks)
    return claimed


def _release(notifications: list[Notification]) -> None:
    Notification.objects.filter(pk__in=[n.pk for n in notifications]).update(
        mailed_at=None, digest_on=None
    )


def _mail(organization: Organization, user: User, subject: str, items: list[Notification]):
    context = {"organization": organization, "user": user, "items": items}
    with translation.override(language_for(user, organization)):
        send_branded(
            organization=organization,
            to=[user.email],
            subject=subject,
            template="backbone/email/notifications",
            context=context,
        )


def notifications_mail_now(*, organization: Organization) -> int:
    """Mail, one by one, the unmailed notifications their recipients want at once."""
    pending = Notification.objects.filter(
        _wanted(organization, Delivery.NOW), organization=organization, mailed_at=None
    ).order_by("pk")
    claimed = _claim(pending, mailed_at=timezone.now())
    sent = 0
    for position, item in enumerate(claimed):
        try:
            _mail(organization, item.user, item.title, [item])
        except Exception:
            _release(claimed[position:])
            raise
        sent += 1
    return sent


def notifications_mail_digest(*, organization: Organization, now: dt.datetime) -> int:
    """From the digest hour on, mail each person who has none yet today one digest of
    their unmailed notifications of the kinds they want daily. Returns mails sent."""
    local = now.astimezone(organization.tzinfo)
    if local.hour < DIGEST_HOUR:
        return 0
    today = local.date()
    done_today = Notification.objects.filter(organization=organization, digest_on=today)
    pending = (
        Notification.objects.filter(
            _wanted(organization, Delivery.DIGEST), organization=organization, mailed_at=None
        )
        .exclude(user_id__in=done_today.values("user_id"))
        .order_by("user_id", "pk")
    )
    claimed = _claim(pending, mailed_at=now, digest_on=today)
    by_user: dict[int, list[Notification]] = defaultdict(list)
    for item in claimed:
        by_user[item.user_id].append(item)
    sent = 0
    batches = list(by_user.values())
    for position, items in enumerate(batches):
        subject = ngettext(
            "%(organization)s: %(count)s thing to know today",
            "%(organization)s: %(count)s things to know today",
            len(items),
        ) % {
            "organization": organization.name,
            "count": len(items),
        }
        try:
            _mail(organization, items[0].user, subject, items)
        except Exception:
            _release([n for batch in batches[position:] for n in batch])
            raise
        sent += 1
    return sent


def notifications_mail(*, organization: Organization, now: dt.datetime | None = None) -> dict:
    """The mailing job's work: the at-once mails, then the digest when its hour has come."""
    now = now or timezone.now()
    with scope(organization=organization):
        return {
            "now": notifications_mail_now(organization=organization),
            "digest": notifications_mail_digest(organization=organization, now=now),
        }
