"""allauth's mails look like the backbone's: its name, the site people use (never a
default host), an HTML part and a text part."""

import uuid

from django.core import mail

from .accounts import sign_up


def test_the_sign_up_mail_is_branded_with_the_real_site(db, client, settings):
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "backbone.example.org"]
    client.defaults["HTTP_HOST"] = "backbone.example.org"
    # A fresh address: allauth limits confirmation mails per address, in the shared cache.
    sign_up(client, f"dana-{uuid.uuid4().hex[:8]}@example.org", first_name="Dana", last_name="Lake")
    (message,) = mail.outbox
    assert message.subject.startswith("[Backbone] ")
    assert message.body.startswith("Hello Dana Lake,")
    assert "http://backbone.example.org/accounts/confirm-email/" in message.body
    assert "backbone.example.org" in message.body.split("-- ")[-1]
    assert "Hello from" not in message.body and "127.0.0.1" not in message.body
    html, kind = message.alternatives[0]
    assert kind == "text/html"
    assert 'href="http://backbone.example.org/accounts/confirm-email/' in html
