"""Delivering newsletters: each recipient's copy, sending exactly once, unsubscribing,
preferences and clicks.

Sending is built so that a retry, a restarted worker or a second click never
mails anyone the same issue twice: there is one Delivery row per (newsletter,
contact), unique in the database; a worker claims a chunk of pending rows with a
claim token (a row is "sending" under a live claim before its mail goes out, so no
other worker mails it), re-reads the chunk's contacts once for consent, hands the
mails to the SMTP server over one connection, marks each row sent as its own commit,
and writes refusals and timeline entries in bulk when the chunk ends. The mark is
committed once the server has the whole message but not yet the final dot that makes
it deliver it: a worker killed outright leaves either a message the server throws
away with the broken connection (the row is mailed again) or a row marked sent. Rows
left "sending" by a dead worker are taken back at once (its claim's lock is free) or
after LEASE.

Nothing stays "sending" forever. A failure that retrying won't mend — the server
refuses our sign-in or answers 5xx, the issue can't be rendered, the server refuses
every recipient, or it stays unreachable after MAX_ATTEMPTS — marks the issue failed
with the reason (`newsletter_send_fail`): its unsent deliveries stop, and the issue
can be edited and sent again, to those not mailed yet. An issue left "sending" with
nothing happening for STUCK_AFTER (a lost job, a dead worker) is finished by the
periodic job (`newsletters_recover_stuck`).
"""

from __future__ import annotations

import datetime as dt
import smtplib
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import partial
from typing import NoReturn

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.core.mail.backends.base import BaseEmailBackend
from django.core.mail.backends.smtp import EmailBackend as SMTPBackend
from django.core.mail.message import sanitize_address
from django.db import DatabaseError, connection, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from backbone.mail import attach_inline_images, sender
from backbone.models import Organization, User
from stakeholders.models import ConsentStatus, Contact, InteractionKind
from stakeholders.services import (
    interactions_record_many,
)

from ..models import Delivery, Newsletter
from .newsletter_issue import IssueTemplate, IssueTemplates, RenderedIssue, issue_message
from .newsletter_mail import sendmail_marked, statement_sent_ahead

LEASE = dt.timedelta(minutes=10)
MAX_ATTEMPTS = 5
STUCK_AFTER = dt.timedelta(minutes=30)  # longer than LEASE and the retries' back-off
REFUSED_IN_A_ROW = 20  # refusals, none accepted: the server refuses everyone


class TransientSendError(Exception):
    """The mail server could not be reached; the claimed rows went back to waiting."""


class PermanentSendError(Exception):
    """Sending can't succeed as things are; the issue is marked failed (see above)."""


def render_issue(newsletter: Newsletter, delivery: Delivery | None = None) -> RenderedIssue:
    """The issue as one recipient sees it (links tracked and unsubscribe link when `delivery`)."""
    return IssueTemplate(newsletter).render(delivery)


def newsletter_send_test(*, newsletter: Newsletter, user: User) -> None:
    """The issue as a recipient gets it (pictures inside the message), to `user`."""
    issue = IssueTemplate(newsletter).render(None, in_mail=True)
    message = EmailMultiAlternatives(
        subject=_("[Test] %(subject)s") % {"subject": issue.subject},
        body=issue.text,
        from_email=sender(newsletter.organization),
        to=[user.email],
    )
    message.attach_alternative(issue.html, "text/html")
    attach_inline_images(message, issue.images)
    message.send()


def _claim_lock_key(claim: str) -> int:
    """A PostgreSQL advisory lock key for a claim token (a signed 64-bit integer)."""
    return int(claim[:15], 16)


def _claim_hold(claim: str) -> None:
    """On PostgreSQL the claiming worker holds a session lock named after its claim while it
    sends: the lock dies with the worker's connection, so a killed worker's rows are known
    abandoned at once (elsewhere, after LEASE)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_lock(%s)", [_claim_lock_key(claim)])


def _claim_drop(claim: str) -> None:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_unlock(%s)", [_claim_lock_key(claim)])


def _reclaim_stale(newsletter: Newsletter) -> None:
    """Give back rows whose worker is gone: its claim's lock is free (PostgreSQL), or the
    claim is older than LEASE."""
    sending = Delivery.objects.filter(newsletter=newsletter, status=Delivery.Status.SENDING)
    sending.filter(claimed_at__lt=timezone.now() - LEASE).update(
        status=Delivery.Status.PENDING, claim=""
    )
    if connection.vendor != "postgresql":
        return
    for claim in set(sending.values_list("claim", flat=True)):
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_try_advisory_lock(%s)", [_claim_lock_key(claim)])
            if not cursor.fetchone()[0]:
                continue  # its worker is alive and sending
        try:
            sending.filter(claim=claim).update(status=Delivery.Status.PENDING, claim="")
        finally:
            _claim_drop(claim)


def _claim_batch(newsletter: Newsletter, size: int) -> list[Delivery]:
    """Claim up to `size` waiting rows; the claim's lock is held from before the rows carry
    it until `_claim_drop` (so no other worker can take the rows back meanwhile)."""
    claim = uuid.uuid4().hex
    _claim_hold(claim)
    ids = list(
        Delivery.objects.filter(newsletter=newsletter, status=Delivery.Status.PENDING)
        .order_by("pk")
        .values_list("pk", flat=True)[:size]
    )
    if not ids:
        _claim_drop(claim)
        return []
    Delivery.objects.filter(pk__in=ids, status=Delivery.Status.PENDING).update(
        status=Delivery.Status.SENDING,
        claim=claim,
        claimed_at=timezone.now(),
        attempts=F("attempts") + 1,
    )
    batch = list(Delivery.objects.filter(claim=claim).order_by("pk"))
    if not batch:
        _claim_drop(claim)
    return batch


def _permanent(exc: Exception) -> bool:
    """An SMTP failure that retrying won't change: sign-in refused, or a 5xx answer."""
    if isinstance(exc, smtplib.SMTPAuthenticationError | smtplib.SMTPNotSupportedError):
        return True
    code = getattr(exc, "smtp_code", None)
    return isinstance(code, int) and 500 <= code < 600


def _stop(newsletter: Newsletter, reason: str, exc: Exception | None = None) -> NoReturn:
    newsletter_send_fail(newsletter=newsletter, reason=reason)
    raise PermanentSendError(reason) from exc


def _smtp_failed(newsletter: Newsletter, deliveries: list[Delivery], exc: Exception) -> NoReturn:
    """Stop for good on a permanent failure or once no row has tries left; else give the
    rows back and let the caller retry later."""
    if _permanent(exc):
        _stop(newsletter, _("The mail server refused: %(error)s") % {"error": exc}, exc)
    _release(deliveries, str(exc))
    if not newsletter.deliveries.filter(
        status__in=[Delivery.Status.PENDING, Delivery.Status.SENDING]
    ).exists():
        _stop(
            newsletter,
            _("The mail server could not be reached after %(count)s tries: %(error)s")
            % {"count": MAX_ATTEMPTS, "error": exc},
            exc,
        )
    raise TransientSendError(str(exc)) from exc


def deliveries_send(*, newsletter: Newsletter, batch_size: int = 200) -> dict[str, int]:
    """Send every waiting delivery of `newsletter`. Safe to run again, and in parallel.

    Raises TransientSendError when the mail server can't be reached (the caller
    retries later), PermanentSendError when the issue was marked failed;
    per-recipient refusals are marked failed.
    """
    counts = {"sent": 0, "skipped": 0, "failed": 0}
    if newsletter.status != Newsletter.Status.SENDING:
        return counts  # failed or recovered meanwhile: nothing to do
    try:
        templates = IssueTemplates(newsletter)
    except Exception as exc:  # noqa: BLE001 — whatever breaks rendering breaks it every time
        _stop(newsletter, _("The issue could not be put together: %(error)s") % {"error": exc}, exc)
    progress = _Progress(
        accepted=newsletter.deliveries.filter(status=Delivery.Status.SENT).exists()
    )
    # Rows a dead worker had claimed are taken back before every batch, so a worker still
    # sending finishes what a killed one left.
    while True:
        _reclaim_stale(newsletter)
        batch = _claim_batch(newsletter, batch_size)
        if not batch:
            break
        try:
            for key, value in _send_batch(newsletter, templates, batch, progress).items():
                counts[key] += value
        finally:
            _claim_drop(batch[0].claim)
    if not progress.accepted and counts["failed"]:
        _stop(newsletter, _refused_reason(counts["failed"], None))
    if not newsletter.deliveries.filter(
        status__in=[Delivery.Status.PENDING, Delivery.Status.SENDING]
    ).exists():
        Newsletter.objects.filter(pk=newsletter.pk, status=Newsletter.Status.SENDING).update(
            status=Newsletter.Status.SENT, sent_at=timezone.now()
        )
    return counts


@dataclass
class _Progress:
    """What one run has seen so far: has any recipient been accepted, and how many
    refusals came in a row (every recipient refused means the server refuses us)."""

    accepted: bool
    refused_in_a_row: int = 0


def _send_batch(
    newsletter: Newsletter, templates: IssueTemplates, batch: list[Delivery], progress: _Progress
) -> dict[str, int]:
    """Mail one claimed chunk: one read of its contacts (consent as it is now), one update
    for those skipped, one status update per accepted mail, and at the end one update
    per refusal reason and one insert into the timelines.

    Every row is "sending" under this worker's claim while its mail goes out, so no
    other worker takes it. Each mail's row is marked sent by itself, as the server gets
    it (`_hand_over`): that is the only state that survives a worker killed outright
    (batching it would mail the rest of the chunk again after a SIGKILL, as the
    two-nodes test shows).
    Refusals and timeline entries are written when the chunk ends or stops early for
    any reason (`finally`), before the issue may be marked failed.
    """
    contacts = {
        row["pk"]: row
        for row in Contact.objects.filter(pk__in=[d.contact_id for d in batch]).values(
            "pk", "consent", "email", "language"
        )
    }
    ready, skipped = [], []
    languages: dict[int, str] = {}
    for delivery in batch:
        contact = contacts.get(delivery.contact_id)
        if contact is None or contact["consent"] != ConsentStatus.GIVEN or not contact["email"]:
            skipped.append(delivery)
        else:
            delivery.email = contact["email"]
            languages[delivery.pk] = contact["language"]
            ready.append(delivery)
    _finish(skipped, Delivery.Status.SKIPPED, error=_("No consent at sending time."))
    counts = {"sent": 0, "skipped": len(skipped), "failed": 0}
    if not ready:
        return counts
    mailer = get_connection()
    try:
        mailer.open()
    except (OSError, smtplib.SMTPException) as exc:
        _smtp_failed(newsletter, ready, exc)
    envelope_from = sanitize_address(sender(newsletter.organization), settings.DEFAULT_CHARSET)
    sent: list[Delivery] = []
    refused: dict[Delivery, str] = {}
    as_bytes = isinstance(mailer, SMTPBackend)  # other backends take the message itself
    stop = None  # what to do once the outcomes are written
    try:
        with _commits_unflushed():
            for index, delivery in enumerate(ready):
                try:
                    template = templates[languages[delivery.pk]]
                    message = (as_bytes and template.mail_bytes(delivery)) or issue_message(
                        template, delivery
                    )
                except Exception as exc:  # noqa: BLE001 — as for the template above
                    reason = _("The issue could not be put together: %(error)s") % {"error": exc}
                    stop = partial(_stop, newsletter, reason, exc)
                    break
                try:
                    _hand_over(mailer, envelope_from, delivery, message)
                except smtplib.SMTPRecipientsRefused as exc:
                    refused[delivery] = str(exc.recipients)[:1000]
                    progress.refused_in_a_row += 1
                    if not progress.accepted and progress.refused_in_a_row >= REFUSED_IN_A_ROW:
                        reason = _refused_reason(progress.refused_in_a_row, exc)
                        stop = partial(_stop, newsletter, reason, exc)
                        break
                    continue
                except (OSError, smtplib.SMTPException) as exc:
                    stop = partial(_smtp_failed, newsletter, ready[index:], exc)
                    break
                sent.append(delivery)
                progress.accepted, progress.refused_in_a_row = True, 0
    finally:
        _record_outcomes(newsletter, sent, refused)
        mailer.close()
    if stop is not None:
        stop()
    counts["sent"], counts["failed"] = len(sent), len(refused)
    return counts


def _hand_over(
    mailer: BaseEmailBackend,
    envelope_from: str,
    delivery: Delivery,
    message: bytes | EmailMultiAlternatives,
) -> None:
    """Mail one delivery and mark it sent, as its own commit: on Django's SMTP backend,
    what it does for one message on an open connection (without parsing the same sender
    again for every recipient), with the mark made just before the final dot
    (`sendmail_marked`: a worker killed outright then leaves no mailed row "sending",
    which would be mailed again; the mark is sent ahead and answered after the dot,
    `statement_sent_ahead`); any other backend sends, then marks."""
    if not isinstance(mailer, SMTPBackend):
        mailer.send_messages([message])
        _mark_sent(delivery)
        return
    address = delivery.email
    if not address.isascii():
        address = sanitize_address(address, settings.DEFAULT_CHARSET)
    if not isinstance(message, bytes):
        message = message.message().as_bytes(linesep="\r\n")
    sendmail_marked(
        mailer.connection,
        envelope_from,
        address,
        message,
        mark=lambda: statement_sent_ahead(MARK_SENT, [timezone.now(), delivery.pk]),
        unmark=partial(_unmark_sent, delivery),
    )


@contextmanager
def _commits_unflushed() -> Iterator[None]:
    """While a chunk is mailed, this connection's commits don't wait for the disk
    (PostgreSQL's `synchronous_commit = off`; the setting is put back afterwards).

    Each mail's "sent" mark is its own commit, made as the server gets the message.
    Waiting for the WAL to reach the disk on each of them cost more than the
    mail. Without the wait a mark is still committed and seen by every other session at
    once, so a worker killed outright (SIGKILL) leaves no mailed row "sending" — the
    guarantee that matters here. What is given up: a crash of the database server itself
    (or its machine) can lose the last commits not yet flushed (at most about three times
    `wal_writer_delay`, 600 ms by default), and those few recipients would be mailed
    again. The database never becomes inconsistent (PostgreSQL documents this setting as
    safe for that)."""
    if connection.vendor != "postgresql":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_setting('synchronous_commit')")
        (before,) = cursor.fetchone()
        cursor.execute("SET synchronous_commit TO off")
    try:
        yield
    finally:
        try:
            with connection.cursor() as cursor:
                cursor.execute("SELECT set_config('synchronous_commit', %s, false)", [before])
        except DatabaseError:
            # The connection is gone (the setting went with its session) or its transaction
            # failed (rolling it back undoes the SET as well).
            pass


@transaction.atomic
def _record_outcomes(
    newsletter: Newsletter, sent: list[Delivery], refused: dict[Delivery, str]
) -> None:
    for error in set(refused.values()):
        _finish([d for d, e in refused.items() if e == error], Delivery.Status.FAILED, error)
    if sent:
        interactions_record_many(
            organization_id=newsletter.organization_id,
            contact_ids=[d.contact_id for d in sent],
            kind=InteractionKind.NEWSLETTER,
            summary=_("Received the newsletter “%(subject)s”.") % {"subject": newsletter.subject},
            key=f"newsletter:{newsletter.pk}",
        )


def _refused_reason(count: int, exc: smtplib.SMTPRecipientsRefused | None) -> str:
    reason = _("The mail server refused every recipient (%(count)s) and accepted none.") % {
        "count": count
    }
    if exc is not None:
        reason += " " + str(next(iter(exc.recipients.values()), ""))
    return reason


@transaction.atomic
def newsletter_send_fail(*, newsletter: Newsletter, reason: str) -> None:
    """Mark a sending issue failed with `reason`: its unsent deliveries stop (failed, with
    the reason), and the issue is editable again; sending it again mails only the people
    not mailed yet."""
    Delivery.objects.filter(
        newsletter=newsletter, status__in=[Delivery.Status.PENDING, Delivery.Status.SENDING]
    ).update(status=Delivery.Status.FAILED, error=reason[:1000], claim="")
    Newsletter.objects.filter(pk=newsletter.pk, status=Newsletter.Status.SENDING).update(
        status=Newsletter.Status.FAILED, send_error=reason[:2000]
    )
    newsletter.status, newsletter.send_error = Newsletter.Status.FAILED, reason[:2000]


def newsletters_recover_stuck(*, organization: Organization) -> int:
    """Finish the issues left "sending" with no delivery claimed or sent for STUCK_AFTER
    (a lost job, a dead worker): sent when nothing is left to send, else failed, so that
    they can be sent again. Returns how many were recovered."""
    cutoff = timezone.now() - STUCK_AFTER
    stuck = (
        Newsletter.objects.filter(
            organization=organization,
            status=Newsletter.Status.SENDING,
            sending_started_at__lt=cutoff,
        )
        .exclude(deliveries__claimed_at__gte=cutoff)
        .exclude(deliveries__sent_at__gte=cutoff)
    )
    recovered = 0
    for newsletter in stuck:
        left = newsletter.deliveries.filter(
            status__in=[Delivery.Status.PENDING, Delivery.Status.SENDING]
        )
        if left.exists():
            newsletter_send_fail(
                newsletter=newsletter,
                reason=_("Sending stopped and did not resume for %(minutes)s minutes.")
                % {"minutes": int(STUCK_AFTER.total_seconds() // 60)},
            )
        else:
            Newsletter.objects.filter(pk=newsletter.pk, status=Newsletter.Status.SENDING).update(
                status=Newsletter.Status.SENT, sent_at=timezone.now()
            )
        recovered += 1
    return recovered


def _finish(deliveries: list[Delivery], status: str, error: str = "") -> None:
    if not deliveries:
        return
    Delivery.objects.filter(pk__in=[d.pk for d in deliveries]).update(
        status=status,
        sent_at=timezone.now() if status == Delivery.Status.SENT else None,
        error=error,
        claim="",
    )


MARK_SENT = (
    "UPDATE plans_delivery SET status = 'sent', sent_at = %s, error = '', claim = '' WHERE id = %s"
)
UNMARK_SENT = (
    "UPDATE plans_delivery SET status = 'sending', sent_at = NULL, claim = %s WHERE id = %s"
)


def _mark_sent(delivery: Delivery) -> None:
    """One mail's "sent" mark, its own commit, in plain SQL: the ORM put the same UPDATE
    together for every mail at more cost than the database running it."""
    with connection.cursor() as cursor:
        cursor.execute(MARK_SENT, [timezone.now(), delivery.pk])


def _unmark_sent(delivery: Delivery) -> None:
    """The server refused the message after all (or went away before answering): the row
    is "sending" under its claim again, for the refusal or the retry to deal with."""
    with connection.cursor() as cursor:
        cursor.execute(UNMARK_SENT, [delivery.claim, delivery.pk])


def _release(deliveries: list[Delivery], reason: str) -> None:
    """Give claimed rows back; those tried too often are marked failed with the reason."""
    ids = [d.pk for d in deliveries]
    Delivery.objects.filter(
        pk__in=ids, status=Delivery.Status.SENDING, attempts__gte=MAX_ATTEMPTS
    ).update(status=Delivery.Status.FAILED, error=reason[:1000], claim="")
    Delivery.objects.filter(pk__in=ids, status=Delivery.Status.SENDING).update(
        status=Delivery.Status.PENDING, error=reason[:1000], claim=""
    )
