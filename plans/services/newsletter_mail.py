"""A newsletter's message, and the same message flattened once per issue and language
with marks where each recipient's own values go.

Putting a MIME message together and flattening it (`email.generator`) costs more than
handing it to the SMTP server. Every recipient's copy differs only in a few values —
the To, Message-ID and Date headers and the links that carry their tokens — so the
skeleton is flattened once and each copy is the skeleton's bytes with those values
swapped in. The skeleton is used only where the swap is exact: each mark found intact
as often as it was put in (so no part was encoded as quoted-printable or base64, which
would split or hide them), an address and values that need no encoding, and no line
longer than SMTP allows once filled. Otherwise the copy is built the ordinary way.
"""

from __future__ import annotations

import contextlib
import re
import select
import smtplib
import socket
from collections.abc import Callable
from email.utils import formatdate

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import DatabaseError, connection
from psycopg import pq

from backbone.mail import InlineImage, attach_inline_images, sender
from backbone.models import Organization

TO_MARK = "recipient@backbone.invalid"
MESSAGE_ID_MARK = "<message-id@backbone.invalid>"
DATE_MARK = "date.backbone.invalid"
LONGEST_LINE = 998  # RFC 5322, without the CRLF
# An address that goes into the To header as it is (no quoting, no encoding).
PLAIN_ADDRESS = re.compile(r"[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]{1,64}@[A-Za-z0-9.-]{1,190}")


def newsletter_message(
    *,
    organization: Organization,
    subject: str,
    text: str,
    html: str,
    images: list[InlineImage],
    to: str,
    message_id: str,
    unsubscribe_url: str,
    date: str | None = None,
) -> EmailMultiAlternatives:
    headers = {
        "Message-ID": message_id,
        # RFC 2369 and RFC 8058 one-click unsubscribe, as large mail providers require.
        "List-Unsubscribe": f"<{unsubscribe_url}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        "List-Id": f"{organization.name} <newsletter.{organization.slug}>",
    }
    if date is not None:
        headers["Date"] = date
    message = EmailMultiAlternatives(
        subject=subject, body=text, from_email=sender(organization), to=[to], headers=headers
    )
    message.attach_alternative(html, "text/html")
    attach_inline_images(message, images)
    return message


class MailSkeleton:
    """The message flattened once; `fill` makes one recipient's copy as bytes, or None
    when that copy must be built the ordinary way."""

    def __init__(self, message: EmailMultiAlternatives, expected: dict[str, int]):
        """`message` carries the marks (`expected`: each mark and how often it was put in)."""
        mime = message.message()
        self.raw = mime.as_bytes(linesep="\r\n")
        # Text parts as they are (7bit or 8bit): quoted-printable would need the links
        # encoded too, and may split a mark; base64 hides them.
        self.usable = all(
            part.get("Content-Transfer-Encoding", "7bit").lower() in ("7bit", "8bit")
            for part in mime.walk()
            if part.get_content_maintype() == "text"
        ) and all(self.raw.count(mark.encode()) == n for mark, n in expected.items())
        marks = sorted(expected, key=len, reverse=True)  # link 10 before link 1
        self._marks = re.compile(b"|".join(re.escape(mark.encode()) for mark in marks))

    def fill(self, address: str, message_id: str, links: dict[str, str]) -> bytes | None:
        if not self.usable or not PLAIN_ADDRESS.fullmatch(address) or not message_id.isascii():
            return None
        if not all(url.isascii() for url in links.values()):
            return None
        values = {mark.encode(): url.encode() for mark, url in links.items()}
        values[TO_MARK.encode()] = address.encode()
        values[MESSAGE_ID_MARK.encode()] = message_id.encode()
        values[DATE_MARK.encode()] = formatdate(localtime=settings.EMAIL_USE_LOCALTIME).encode()
        raw = self._marks.sub(lambda found: values.get(found[0], b""), self.raw)
        if max(map(len, raw.split(b"\r\n"))) > LONGEST_LINE:
            return None
        return raw


LEADING_DOT = re.compile(rb"(?m)^\.")


def _refused(smtp: smtplib.SMTP, code: int) -> None:
    """As smtplib does after a refusal: a server going away (421) is hung up on, else the
    transaction is reset so the connection serves the next message."""
    if code == 421:
        smtp.close()
        return
    with contextlib.suppress(smtplib.SMTPServerDisconnected):
        smtp.rset()


def statement_sent_ahead(sql: str, params: list) -> Callable[[], None]:
    """Send one statement (`%s` placeholders) to PostgreSQL on this thread's connection, in
    autocommit, without waiting for it: it is on the wire when this returns, and the
    server runs and commits it even if this process dies the next instant. The callable
    returned waits for its answer (and raises a `DatabaseError` if it failed).

    What the mark of a mail needs: sent before the message's final dot and answered after
    it, a worker killed between the two leaves no window but the microseconds between two
    `send()`s. Marked and answered before the dot, the round trip and the commit were a
    window where a killed worker had marked a mail the server then threw away. Elsewhere
    (SQLite, inside a transaction: the tests) it runs the statement and returns at once."""
    if connection.vendor != "postgresql" or connection.in_atomic_block:
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
        return lambda: None
    connection.ensure_connection()
    pgconn = connection.connection.pgconn
    numbered = sql
    for number in range(1, len(params) + 1):
        numbered = numbered.replace("%s", f"${number}", 1)
    values = [
        None if v is None else (v.isoformat() if hasattr(v, "isoformat") else str(v)).encode()
        for v in params
    ]
    pgconn.send_query_params(numbered.encode(), values)
    while pgconn.flush():  # a non-blocking connection: the rest once the socket takes it
        select.select([], [pgconn.socket], [])

    def answered() -> None:
        failed = None
        while True:
            while pgconn.is_busy():
                select.select([pgconn.socket], [], [])
                pgconn.consume_input()
            result = pgconn.get_result()
            if result is None:
                break
            if result.status != pq.ExecStatus.COMMAND_OK:
                failed = (result.error_message or b"").decode(errors="replace")
        if failed is not None:
            raise DatabaseError(failed)

    return answered


def sendmail_marked(
    smtp: smtplib.SMTP,
    envelope_from: str,
    address: str,
    raw: bytes,
    mark: Callable[[], Callable[[], None]],
    unmark: Callable[[], None],
) -> None:
    """`smtplib.SMTP.sendmail` for one recipient, with `mark` sent when the server has the
    whole message but not yet the final dot that makes it deliver it (`mark` returns what
    waits for its answer, after the dot: `statement_sent_ahead`).

    A worker killed outright (SIGKILL) before the dot leaves a message the server
    throws away with the broken connection: its row is not marked, and it is mailed
    again. Killed after the mark, the message is delivered and its row says so. Marking
    after the server's "250 OK" instead left the round trip to the server and the mark's
    commit as a window where a killed worker's recipient got the issue twice. When the
    server then refuses the message, or the connection breaks before it answers,
    `unmark` takes the mark back and the error is raised as smtplib raises it."""
    smtp.ehlo_or_helo_if_needed()
    # The dot goes out on its own, after the body: without TCP_NODELAY the kernel holds it
    # back (Nagle) until the server acknowledges the body, which it delays up to 40 ms.
    smtp.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    options = [f"SIZE={len(raw)}"] if smtp.does_esmtp and smtp.has_extn("size") else []
    code, reply = smtp.mail(envelope_from, options)
    if code != 250:
        _refused(smtp, code)
        raise smtplib.SMTPSenderRefused(code, reply, envelope_from)
    code, reply = smtp.rcpt(address)
    if code not in (250, 251):
        _refused(smtp, code)
        raise smtplib.SMTPRecipientsRefused({address: (code, reply)})
    code, reply = smtp.docmd("data")
    if code != 354:
        _refused(smtp, code)
        raise smtplib.SMTPDataError(code, reply)
    body = LEADING_DOT.sub(b"..", raw)
    smtp.send(body if body.endswith(b"\r\n") else body + b"\r\n")
    answered = mark()
    try:
        try:
            smtp.send(b".\r\n")
        finally:
            answered()
        code, reply = smtp.getreply()
    except BaseException:
        unmark()
        raise
    if code != 250:
        unmark()
        _refused(smtp, code)
        raise smtplib.SMTPDataError(code, reply)
