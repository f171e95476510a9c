"""Mail that looks like the backbone: from the organization, text and HTML parts, the site
address, pictures inside the message by Content-ID."""

from django.core import mail
from django.test import override_settings

from backbone.mail import InlineImage, branded_message, send_branded_text


@override_settings(
    SITE_URL="https://backbone.example", DEFAULT_FROM_EMAIL="Backbone <hi@backbone.example>"
)
def test_a_text_mail_comes_from_the_organization_with_an_html_part(world):
    send_branded_text(
        organization=world.org,
        to=["ada@example.org"],
        subject="Report card\nready",
        text="Review it here: https://backbone.example/o/riverside/",
    )
    (message,) = mail.outbox
    assert message.from_email == "Riverside Collective via Backbone <hi@backbone.example>"
    assert message.subject == "Report card ready"  # no line break in a header
    html, kind = message.alternatives[0]
    assert kind == "text/html"
    assert '<a href="https://backbone.example/o/riverside/"' in html
    assert "Sent by Riverside Collective through Backbone" in html
    assert "https://backbone.example/" in html


def test_pictures_go_inside_the_message_by_content_id(world):
    message = branded_message(
        organization=world.org,
        to=["ada@example.org"],
        subject="Chart",
        template="backbone/email/notifications",
        context={"user": world.admin, "items": []},
        images=[InlineImage(cid="chart-1@riverside.backbone", data=b"\x89PNG\r\n\x1a\nfake")],
    )
    parsed = message.message()
    assert parsed.get_content_type() == "multipart/related"
    (image,) = [p for p in parsed.walk() if p.get_content_type() == "image/png"]
    assert image["Content-ID"] == "<chart-1@riverside.backbone>"
    assert image["Content-Disposition"].startswith("inline")
