"""The newsletter in a mail client: charts as PNG pictures inside the message (by
Content-ID, rasterized from the same SVG), their values in words beside them, and a text
part that is text, not Markdown."""

import email
import email.policy
from email.utils import parsedate_to_datetime

import pytest
from django.core import mail
from django_scopes import scope

from measures.charts import trend_svg
from measures.selectors import approved_series_for
from plans.services import delivery as deliveries
from plans.services.newsletter_issue import IssueTemplate, issue_message

from .factories import (
    ConsentingContactFactory,
    NewsletterFactory,
    NewsletterItemFactory,
    falling_indicator,
)
from .test_newsletter_delivery import run_sending, send

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


@pytest.fixture
def issue(world, initiative):
    indicator = falling_indicator(
        initiative,
        "Households using the food bank",
        frequency="quarterly",
        baseline="3400",
        approved={"2026-Q1": "3350", "2026-Q2": "3310"},
    )
    with scope(organization=world.org):
        series = approved_series_for([indicator])[indicator.pk]
        svg = trend_svg(indicator, series)
    newsletter = NewsletterFactory(
        organization=world.org,
        introduction="This week: **two** things. [Our site](https://riverside.example)",
    )
    NewsletterItemFactory(
        newsletter=newsletter,
        kind="data",
        title="New data",
        body="Down to **3,310**.",
        url="",
        chart_svg=svg,
    )
    NewsletterItemFactory(newsletter=newsletter)
    return newsletter


def test_a_chart_is_a_png_inside_the_message_with_its_values_in_words(world, issue, smtp_sink):
    ConsentingContactFactory(organization=world.org, email="ada@example.org")
    send(issue)
    run_sending(issue)
    [received] = smtp_sink.to("ada@example.org")
    message = received.message
    assert message.get_content_type() == "multipart/related"
    assert "Riverside Collective" in message["From"]
    (image,) = [p for p in message.walk() if p.get_content_type() == "image/png"]
    assert image.get_content().startswith(PNG_MAGIC)
    cid = image["Content-ID"].strip("<>")
    html = message.get_body(("html",)).get_content()
    assert f'src="cid:{cid}"' in html and "<svg" not in html
    assert "2026-Q1: 3,350" in html and "2026-Q2: 3,310" in html
    text = message.get_body(("plain",)).get_content()
    assert "2026-Q1: 3,350" in text and "2026-Q2: 3,310" in text
    assert "Households using the food bank: lower is better" in text
    # Text, not Markdown.
    assert "**" not in text and "](" not in text
    assert "This week: two things. Our site (https://riverside.example)" in text
    assert "Maria joined the listening team last spring." in text


def test_the_page_preview_keeps_the_svg(world, issue):
    with scope(organization=world.org):
        preview = deliveries.render_issue(issue)
    assert "<svg" in preview.html and "cid:" not in preview.html


def test_the_test_mail_has_the_pictures_too(world, issue):
    with scope(organization=world.org):
        deliveries.newsletter_send_test(newsletter=issue, user=world.coordinator)
    (message,) = mail.outbox
    assert message.mixed_subtype == "related"
    assert "cid:chart-" in message.alternatives[0][0]
    assert [a.get_content_type() for a in message.attachments] == ["image/png"]


def parts(message) -> list[tuple[str, bytes]]:
    return [(p.get_content_type(), p.get_payload(decode=True)) for p in message.walk()]


def test_a_copy_made_from_the_skeleton_is_the_message_built_the_ordinary_way(world, issue):
    ConsentingContactFactory(organization=world.org, email="ada@example.org")
    send(issue)
    with scope(organization=world.org):
        delivery = issue.deliveries.get()
        template = IssueTemplate(issue)
        fast = template.mail_bytes(delivery)
        ordinary = issue_message(template, delivery).message().as_bytes(linesep="\r\n")
    assert fast is not None and fast != ordinary  # a boundary and a date of its own
    fast, ordinary = (
        email.message_from_bytes(m, policy=email.policy.default) for m in (fast, ordinary)
    )
    for header in ("Subject", "From", "To", "Message-ID", "List-Unsubscribe", "List-Id"):
        # The ordinary way folds a long header onto a second line; the skeleton need not.
        assert fast[header].strip() == ordinary[header].strip(), header
    assert "/n/u/" in fast["List-Unsubscribe"] and fast["To"] == "ada@example.org"
    assert fast["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert parsedate_to_datetime(fast["Date"]) and "invalid" not in fast.as_string()
    assert parts(fast) == parts(ordinary)
    assert [t for t, _ in parts(fast)][-1] == "image/png"


def test_a_copy_the_skeleton_cannot_make_exactly_is_built_the_ordinary_way(world, issue, smtp_sink):
    ConsentingContactFactory(organization=world.org, email="ada@example.org")
    ConsentingContactFactory(organization=world.org, email="zoe@exemple-é.ca")
    send(issue)
    with scope(organization=world.org):
        template = IssueTemplate(issue)
        ada, zoe = issue.deliveries.order_by("email")
        assert template.mail_bytes(ada) is not None
        assert template.mail_bytes(zoe) is None  # an address the To header must encode
        # A line too long for SMTP is sent as quoted-printable, which splits the marks.
        NewsletterItemFactory(newsletter=issue, body="word " * 300, url="https://a.example/x")
        assert IssueTemplate(issue).mail_bytes(ada) is None
    run_sending(issue)
    assert len(smtp_sink.received) == 2
    for received in smtp_sink.received:
        html = received.message.get_body(("html",)).get_content()
        assert "/n/c/" in html and "https://a.example" not in html
        assert "word word" in received.message.get_body(("plain",)).get_content()
