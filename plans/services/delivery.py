"""Delivering newsletters: each recipient's copy, sending exactly once, unsubscribing,
preferences and clicks.

Sending is built so that a retry, a restarted worker or a second click never
mails anyone the same issue twice: there is one Delivery row per (newsletter,
contact), unique in the database; a worker claims pending rows with a claim
token, re-checks consent, hands each mail to the SMTP server and marks the row
sent straight after the server accepted it. The only window for a duplicate is a
worker killed between the server's "250 OK" and that one UPDATE; rows left
"sending" by a dead worker are taken back after LEASE.

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
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import NoReturn
from urllib.parse import urlsplit

from django.core import signing
from django.core.exceptions import ValidationError
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import connection, transaction
from django.db.models import F
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.html import escape
from django.utils.translation import gettext as _
from django_scopes import scope

from backbone.links import absolute_url
from backbone.mail import InlineImage, attach_inline_images, sender
from backbone.markdown import markdown_to_text, render_markdown
from backbone.models import Organization, User
from initiatives.models import Initiative
from measures.charts import chart_png, chart_text
from stakeholders.models import ConsentStatus, Contact, InteractionKind
from stakeholders.services import consent_unsubscribe, interaction_record

from ..models import Delivery, InitiativeOptOut, LinkClick, Newsletter

LEASE = dt.timedelta(minutes=10)
MAX_ATTEMPTS = 5
STUCK_AFTER = dt.timedelta(minutes=30)  # longer than LEASE and the retries' back-off
REFUSED_IN_A_ROW = 20  # refusals, none accepted: the server refuses everyone
TOKEN_MAX_AGE = dt.timedelta(days=400)
UNSUBSCRIBE_SALT = "plans.newsletter.unsubscribe"
CLICK_SALT = "plans.newsletter.click"


class TransientSendError(Exception):
    """The mail server could not be reached; the claimed rows went back to waiting."""


class PermanentSendError(Exception):
    """Sending can't succeed as things are; the issue is marked failed (see above)."""


def make_token(delivery: Delivery, salt: str, **extra) -> str:
    return signing.dumps(
        {"o": delivery.organization_id, "d": delivery.pk, **extra}, salt=salt, compress=True
    )


def read_token(token: str, salt: str) -> dict:
    """The token's payload, or signing.BadSignature (malformed) / SignatureExpired (too old)."""
    return signing.loads(token, salt=salt, max_age=TOKEN_MAX_AGE)


def unsubscribe_url(delivery: Delivery) -> str:
    return absolute_url(
        reverse("newsletter_unsubscribe", kwargs={"token": make_token(delivery, UNSUBSCRIBE_SALT)})
    )


def tracked_url(delivery: Delivery, url: str) -> str:
    return absolute_url(
        reverse("newsletter_click", kwargs={"token": make_token(delivery, CLICK_SALT, u=url)})
    )


@dataclass
class RenderedIssue:
    subject: str
    text: str
    html: str
    images: list[InlineImage] = field(default_factory=list)


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
        self.images: list[InlineImage] = []
        entries = []
        for index, item in enumerate(items):
            entry = {
                "item": item,
                "html": render_markdown(item.body),
                "text": markdown_to_text(item.body),
                "url": LINK_MARK.format(index) if item.url else "",
            }
            if item.chart_svg:
                # Mail clients show no SVG: the same chart as a PNG inside the message
                # (multipart/related, by Content-ID), its values in words beside it.
                cid = f"chart-{item.pk}@{newsletter.organization.slug}.backbone"
                self.images.append(InlineImage(cid=cid, data=chart_png(item.chart_svg)))
                title, values = chart_text(item.chart_svg)
                entry["chart"] = {"cid": cid, "title": title, "values": values}
            entries.append(entry)
        context = {
            "newsletter": newsletter,
            "organization": newsletter.organization,
            "introduction_html": render_markdown(newsletter.introduction),
            "introduction_text": markdown_to_text(newsletter.introduction),
            "entries": entries,
            "unsubscribe_url": UNSUBSCRIBE_MARK,
            "preferences_url": PREFERENCES_MARK,
        }
        with translation.override(newsletter.organization.language):
            self.text = render_to_string("plans/email/newsletter.txt", context)
            self.html = render_to_string("plans/email/newsletter.html", context)
            # The page's preview shows the SVG itself (a browser has no message to look in).
            self.preview_html = render_to_string(
                "plans/email/newsletter.html", {**context, "preview": True}
            )

    def _fill(self, body: str, links: dict[str, str]) -> str:
        for mark, url in links.items():
            body = body.replace(mark, url)
        return body

    def render(
        self, delivery: Delivery | None = None, *, in_mail: bool | None = None
    ) -> RenderedIssue:
        """One recipient's copy (`delivery`), or the preview; `in_mail` (default: when there
        is a delivery) shows the charts as the message's pictures rather than as SVG."""
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
        in_mail = delivery is not None if in_mail is None else in_mail
        html = self.html if in_mail else self.preview_html
        return RenderedIssue(
            subject=self.newsletter.subject,
            text=self._fill(self.text, links),
            html=self._fill(html, {mark: escape(url) for mark, url in links.items()}),
            images=self.images,
        )


def preferences_url(delivery: Delivery) -> str:
    return absolute_url(
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
        from_email=sender(newsletter.organization),
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
    attach_inline_images(message, issue.images)
    return message


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
    batch = list(Delivery.objects.filter(claim=claim).select_related("contact").order_by("pk"))
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
        template = IssueTemplate(newsletter)
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
            for key, value in _send_batch(newsletter, template, batch, progress).items():
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
    newsletter: Newsletter, template: IssueTemplate, batch: list[Delivery], progress: _Progress
) -> dict[str, int]:
    counts = {"sent": 0, "skipped": 0, "failed": 0}
    mailer = get_connection()
    try:
        mailer.open()
    except (OSError, smtplib.SMTPException) as exc:
        _smtp_failed(newsletter, batch, exc)
    try:
        for index, delivery in enumerate(batch):
            contact = (
                Contact.objects.filter(pk=delivery.contact_id).values("consent", "email").first()
            )
            if contact is None or contact["consent"] != ConsentStatus.GIVEN or not contact["email"]:
                _finish(delivery, Delivery.Status.SKIPPED, error=_("No consent at sending time."))
                counts["skipped"] += 1
                continue
            delivery.email = contact["email"]
            try:
                message = _message(template, delivery)
            except Exception as exc:  # noqa: BLE001 — as for the template above
                _stop(
                    newsletter,
                    _("The issue could not be put together: %(error)s") % {"error": exc},
                    exc,
                )
            try:
                mailer.send_messages([message])
            except smtplib.SMTPRecipientsRefused as exc:
                _finish(delivery, Delivery.Status.FAILED, error=str(exc.recipients)[:1000])
                counts["failed"] += 1
                progress.refused_in_a_row += 1
                if not progress.accepted and progress.refused_in_a_row >= REFUSED_IN_A_ROW:
                    _stop(newsletter, _refused_reason(progress.refused_in_a_row, exc), exc)
                continue
            except (OSError, smtplib.SMTPException) as exc:
                _smtp_failed(newsletter, batch[index:], exc)
            _finish(delivery, Delivery.Status.SENT)
            counts["sent"] += 1
            progress.accepted, progress.refused_in_a_row = True, 0
            interaction_record(
                contact=delivery.contact,
                kind=InteractionKind.NEWSLETTER,
                summary=_("Received the newsletter “%(subject)s”.")
                % {"subject": newsletter.subject},
            )
    finally:
        mailer.close()
    return counts


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
