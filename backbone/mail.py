"""Mail that looks like the backbone: the organization's name, the real site address,
an HTML part and a plain-text part (text, never raw Markdown), inline images by Content-ID."""

from __future__ import annotations

from dataclasses import dataclass
from email.mime.image import MIMEImage
from email.utils import formataddr, parseaddr

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.utils import translation

from .links import site_url
from .models import Membership, Organization, User


@dataclass(frozen=True)
class InlineImage:
    """A picture shown in the HTML part as `<img src="cid:{cid}">`."""

    cid: str
    data: bytes
    subtype: str = "png"


def language_for(user: User | None, organization: Organization | None = None) -> str:
    """The language of the mail we send `user`: the one they chose on their profile, else
    the organization's (without one, that of the first organization they belong to), else
    the one active now (the page's). Wrap the rendering in `translation.override(language_for(user, org))`."""
    if user is not None and user.language:
        return user.language
    if organization is None and user is not None and user.pk:
        organization = (
            Organization.objects.filter(memberships__user=user).order_by("memberships__pk").first()
        )
    if organization is not None:
        return organization.language
    return translation.get_language() or settings.LANGUAGE_CODE


def languages_of(user_ids, organization: Organization) -> dict[int, str]:
    """`language_for` of many members of `organization` at once, by user id (one query)."""
    chosen = Membership.objects.filter(organization=organization, user_id__in=user_ids)
    return {
        user_id: language or organization.language
        for user_id, language in chosen.values_list("user_id", "user__language")
    }


def staff_addresses(organization: Organization) -> list[tuple[str, str]]:
    """(e-mail address, language of their mail) of the organization's admins and
    coordinators: mail to them is written once per person, in their language."""
    staff = Membership.objects.filter(
        organization=organization, role__in=["admin", "coordinator"]
    ).exclude(user__email="")
    return [
        (email, language or organization.language)
        for email, language in staff.order_by("user__email").values_list(
            "user__email", "user__language"
        )
    ]


def content_language() -> dict[str, str]:
    """The header that says in which language a message was written: the active one."""
    return {"Content-Language": translation.get_language() or settings.LANGUAGE_CODE}


def sender(organization: Organization | None) -> str:
    """The From header: the organization's name before the service's own address."""
    name, address = parseaddr(settings.DEFAULT_FROM_EMAIL)
    if organization is None:
        return settings.DEFAULT_FROM_EMAIL
    return formataddr((f"{organization.name} via Backbone", address))


def branded_message(
    *,
    organization: Organization | None,
    to: list[str],
    subject: str,
    template: str,
    context: dict,
    request=None,
    images: list[InlineImage] = (),
    headers: dict | None = None,
    connection=None,
) -> EmailMultiAlternatives:
    """A two-part message from `<template>.txt` and `<template>.html` (both get
    `organization` and `site_url`)."""
    context = {"organization": organization, "site_url": site_url(request), **context}
    text = render_to_string(f"{template}.txt", context)
    html = render_to_string(f"{template}.html", context)
    message = EmailMultiAlternatives(
        subject=" ".join(str(subject).split()),
        body=text,
        from_email=sender(organization),
        to=to,
        headers={**content_language(), **(headers or {})},
        connection=connection,
    )
    message.attach_alternative(html, "text/html")
    attach_inline_images(message, images)
    return message


def attach_inline_images(message: EmailMultiAlternatives, images) -> None:
    """Put `images` inside `message` for its HTML to show by Content-ID: the message
    becomes multipart/related (the alternative text and HTML parts, then the pictures)."""
    if not images:
        return
    message.mixed_subtype = "related"
    for image in images:
        part = MIMEImage(image.data, _subtype=image.subtype)
        part.add_header("Content-ID", f"<{image.cid}>")
        name = image.cid.split("@")[0]
        part.add_header("Content-Disposition", "inline", filename=f"{name}.{image.subtype}")
        message.attach(part)


def send_branded(**kwargs) -> int:
    return branded_message(**kwargs).send()


def send_branded_text(
    *, organization: Organization | None, to: list[str], subject: str, text: str
) -> int:
    """A mail written as text: sent from the organization, with the same words in the
    backbone's HTML layout as its HTML part."""
    subject = " ".join(str(subject).split())
    message = EmailMultiAlternatives(
        subject=subject,
        body=text,
        from_email=sender(organization),
        to=to,
        headers=content_language(),
    )
    context = {
        "organization": organization,
        "site_url": site_url(),
        "text": text,
        "subject": subject,
    }
    message.attach_alternative(render_to_string("email/text_as_html.html", context), "text/html")
    return message.send()
