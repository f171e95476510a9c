"""A newsletter issue rendered once per language, and each recipient's copy of it: the
same words with their own links (signed tokens), as text and HTML, as a message or as
the bytes the SMTP server gets (newsletter_mail)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape

from backbone.links import absolute_url
from backbone.mail import InlineImage
from backbone.markdown import markdown_to_text, render_markdown
from measures.charts import chart_png, chart_text

from ..models import Delivery, Newsletter
from .newsletter_links import CLICK_SALT, UNSUBSCRIBE_SALT, make_token, sign_click_target
from .newsletter_mail import (
    DATE_MARK,
    MESSAGE_ID_MARK,
    TO_MARK,
    MailSkeleton,
    newsletter_message,
)


@dataclass
class RenderedIssue:
    subject: str
    text: str
    html: str
    images: list[InlineImage] = field(default_factory=list)
    unsubscribe_url: str = ""


UNSUBSCRIBE_MARK = "https://backbone.invalid/unsubscribe"
PREFERENCES_MARK = "https://backbone.invalid/preferences"
LINK_MARK = "https://backbone.invalid/link/{}"
PLACEHOLDER = "link-token"  # where each recipient's token goes


class IssueTemplate:
    """The issue rendered once; each recipient's copy only swaps in their own links.

    Rendering Markdown and two templates per recipient would cost more than the
    SMTP round trip, so the per-recipient links are placeholders here.
    """

    def __init__(self, newsletter: Newsletter, language: str | None = None):
        self.newsletter = newsletter
        self.language = language or newsletter.organization.language
        items = list(newsletter.items.filter(included=True).order_by("position", "id"))
        self.urls = [item.url for item in items]
        self.marks = [UNSUBSCRIBE_MARK, PREFERENCES_MARK, *map(LINK_MARK.format, range(len(items)))]
        self._marks = re.compile(
            "|".join(map(re.escape, sorted(self.marks, key=len, reverse=True)))
        )
        self._skeleton: MailSkeleton | None = None
        # Signed once per issue; each recipient's links add only their own two tokens.
        self.targets = [sign_click_target(newsletter, url) if url else "" for url in self.urls]
        self.token_urls = {
            name: absolute_url(reverse(name, kwargs={"token": PLACEHOLDER}))
            for name in ("newsletter_click", "newsletter_unsubscribe", "newsletter_preferences")
        }
        # Tokens (URL-safe base64) and targets (url-encoded) need no HTML escaping; the
        # links' own URLs may.
        self._html_safe = all(escape(u) == u for u in [*self.token_urls.values(), *self.urls])
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
        with translation.override(self.language):
            self.text = render_to_string("plans/email/newsletter.txt", context)
            self.html = render_to_string("plans/email/newsletter.html", context)
            # The page's preview shows the SVG itself (a browser has no message to look in).
            self.preview_html = render_to_string(
                "plans/email/newsletter.html", {**context, "preview": True}
            )

    def _fill(self, body: str, links: dict[str, str]) -> str:
        """Every mark swapped for its link in one pass (longest marks first, so that
        link 1 doesn't eat the start of link 10)."""
        return self._marks.sub(lambda found: links.get(found[0], ""), body)

    def links(self, delivery: Delivery) -> dict[str, str]:
        """Each mark's link for one recipient. One signature per link kind: the click
        token and the unsubscribe token (which the preferences link and the
        List-Unsubscribe header share)."""
        click = self.token_urls["newsletter_click"].replace(
            PLACEHOLDER, make_token(delivery, CLICK_SALT)
        )
        links = {
            LINK_MARK.format(i): f"{click}?{urlencode({'to': target})}"
            for i, target in enumerate(self.targets)
            if target
        }
        token = make_token(delivery, UNSUBSCRIBE_SALT)
        links[UNSUBSCRIBE_MARK] = self.token_urls["newsletter_unsubscribe"].replace(
            PLACEHOLDER, token
        )
        links[PREFERENCES_MARK] = self.token_urls["newsletter_preferences"].replace(
            PLACEHOLDER, token
        )
        return links

    def render(
        self, delivery: Delivery | None = None, *, in_mail: bool | None = None
    ) -> RenderedIssue:
        """One recipient's copy (`delivery`), or the preview; `in_mail` (default: when there
        is a delivery) shows the charts as the message's pictures rather than as SVG."""
        if delivery is None:
            links = {LINK_MARK.format(i): url for i, url in enumerate(self.urls)}
            links |= {UNSUBSCRIBE_MARK: "#unsubscribe", PREFERENCES_MARK: "#preferences"}
        else:
            links = self.links(delivery)
        in_mail = delivery is not None if in_mail is None else in_mail
        html = self.html if in_mail else self.preview_html
        return RenderedIssue(
            subject=self.newsletter.subject,
            text=self._fill(self.text, links),
            html=self._fill(html, links if self._html_safe else escape_all(links)),
            images=self.images,
            unsubscribe_url=links[UNSUBSCRIBE_MARK] if delivery else "",
        )

    def mail_bytes(self, delivery: Delivery) -> bytes | None:
        """One recipient's message as the SMTP server gets it, from the skeleton flattened
        once (see newsletter_mail); None when it has to be built as a message."""
        if self._skeleton is None:
            expected = {mark: self.text.count(mark) + self.html.count(mark) for mark in self.marks}
            expected[UNSUBSCRIBE_MARK] += 1  # the List-Unsubscribe header
            expected |= {TO_MARK: 1, MESSAGE_ID_MARK: 1, DATE_MARK: 1}
            message = newsletter_message(
                organization=self.newsletter.organization,
                subject=self.newsletter.subject,
                text=self.text,
                html=self.html,
                images=self.images,
                to=TO_MARK,
                message_id=MESSAGE_ID_MARK,
                unsubscribe_url=UNSUBSCRIBE_MARK,
                date=DATE_MARK,
            )
            self._skeleton = MailSkeleton(message, expected)
            self._skeleton.usable &= self._html_safe
        if not self._skeleton.usable:
            return None
        return self._skeleton.fill(delivery.email, delivery.message_id, self.links(delivery))


class IssueTemplates:
    """The issue rendered once per language its recipients read: a contact's own
    language, else the organization's (recipients are grouped by language)."""

    def __init__(self, newsletter: Newsletter):
        self.newsletter = newsletter
        self.default = newsletter.organization.language
        self._rendered = {self.default: IssueTemplate(newsletter, self.default)}

    def __contains__(self, language: str) -> bool:
        """Is the issue rendered in `language` already."""
        return (language or self.default) in self._rendered

    def __getitem__(self, language: str) -> IssueTemplate:
        language = language or self.default
        if language not in self._rendered:
            self._rendered[language] = IssueTemplate(self.newsletter, language)
        return self._rendered[language]


def escape_all(links: dict[str, str]) -> dict[str, str]:
    return {mark: escape(url) for mark, url in links.items()}


def issue_message(template: IssueTemplate, delivery: Delivery) -> EmailMultiAlternatives:
    issue = template.render(delivery)
    return newsletter_message(
        organization=template.newsletter.organization,
        subject=issue.subject,
        text=issue.text,
        html=issue.html,
        images=issue.images,
        to=delivery.email,
        message_id=delivery.message_id,
        unsubscribe_url=issue.unsubscribe_url,
    )
