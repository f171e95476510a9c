"""The newsletter in a mail client: charts as PNG pictures inside the message (by
Content-ID, rasterized from the same SVG), their values in words beside them, and a text
part that is text, not Markdown."""

import pytest
from django.core import mail
from django_scopes import scope

from measures.charts import trend_svg
from measures.selectors import approved_series_for
from plans.services import delivery as deliveries

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
