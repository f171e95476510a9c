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

import re
from email.utils import formatdate

from django.conf import settings
from django.core.mail import EmailMultiAlternatives

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
