from dataclasses import dataclass

from allauth.account.adapter import DefaultAccountAdapter
from allauth.core import context as allauth_context
from django.contrib.auth import get_user_model
from django.template.loader import render_to_string
from django.utils import translation

from .links import site_url
from .mail import content_language, language_for


@dataclass(frozen=True)
class MailSite:
    """What allauth's mails call `current_site`: our name and the address people use
    (the request's host, SITE_URL without a request), never a default host."""

    name: str
    domain: str


class AccountAdapter(DefaultAccountAdapter):
    """Anyone may sign up; invitations are how people join an organization. Account mails
    look like the backbone's: its name, the real site address, an HTML and a text part."""

    def is_open_for_signup(self, request) -> bool:
        return True

    def send_mail(self, template_prefix: str, email: str, context: dict) -> None:
        address = site_url(allauth_context.request)
        context = {
            **context,
            "current_site": MailSite(name="Backbone", domain=address.split("://", 1)[-1]),
            "site_url": address,
        }
        # In the person's language: theirs, or their organization's; a stranger's (a sign-up
        # not yet confirmed, a reset asked for an unknown address) in the page's.
        user = context.get("user") or get_user_model().objects.filter(email__iexact=email).first()
        language = language_for(user) if user is not None else translation.get_language()
        with translation.override(language):
            super().send_mail(template_prefix, email, context)

    def render_mail(self, template_prefix, email, context, headers=None):
        headers = {**content_language(), **(headers or {})}
        message = super().render_mail(template_prefix, email, context, headers=headers)
        if not getattr(message, "alternatives", None) and hasattr(message, "attach_alternative"):
            # allauth ships text only: the same words in the backbone's HTML layout.
            html = render_to_string(
                "email/text_as_html.html",
                {"text": message.body, "subject": message.subject, **context},
            )
            message.attach_alternative(html, "text/html")
        return message


def user_display(user) -> str:
    """How allauth's pages and mails name a person: by name, e-mail as the fallback."""
    return user.display_name
