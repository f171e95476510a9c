"""A newsletter's links for one recipient and what they lead to: unsubscribing,
preferences and clicks. Each recipient's links carry one signed token per kind (the
unsubscribe token, shared by the preferences link and the List-Unsubscribe header,
and the click token); a link's target is signed once per issue."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from urllib.parse import urlencode, urlsplit

from django.core import signing
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django_scopes import scope

from backbone.links import absolute_url
from backbone.models import Organization
from initiatives.models import Initiative
from stakeholders.models import ConsentStatus, InteractionKind
from stakeholders.services import consent_unsubscribe, interaction_record

from ..models import Delivery, InitiativeOptOut, LinkClick, Newsletter

TOKEN_MAX_AGE = dt.timedelta(days=400)
UNSUBSCRIBE_SALT = "plans.newsletter.unsubscribe"
CLICK_SALT = "plans.newsletter.click"


def make_token(delivery: Delivery, salt: str, **extra) -> str:
    return signing.dumps(
        {"o": delivery.organization_id, "d": delivery.pk, **extra}, salt=salt, compress=True
    )


def read_token(token: str, salt: str) -> dict:
    """The token's payload, or signing.BadSignature (malformed) / SignatureExpired (too old)."""
    return signing.loads(token, salt=salt, max_age=TOKEN_MAX_AGE)


def unsubscribe_url(delivery: Delivery) -> str:
    return _link("newsletter_unsubscribe", make_token(delivery, UNSUBSCRIBE_SALT))


def _click_url_salt(newsletter_id: int) -> str:
    return f"{CLICK_SALT}.{newsletter_id}"


def sign_click_target(newsletter: Newsletter, url: str) -> str:
    """A link's target, signed once per issue: a click link is the recipient's one click
    token plus this, so it can only lead to a link of that issue."""
    return signing.dumps(url, salt=_click_url_salt(newsletter.pk))


def _link(name: str, token: str, target: str = "") -> str:
    url = absolute_url(reverse(name, kwargs={"token": token}))
    return f"{url}?{urlencode({'to': target})}" if target else url


def tracked_url(delivery: Delivery, url: str) -> str:
    return _link(
        "newsletter_click",
        make_token(delivery, CLICK_SALT),
        sign_click_target(delivery.newsletter, url),
    )


def click_target(delivery: Delivery, payload: dict, signed_target: str) -> str:
    """Where a click link leads: its issue-signed target (or, in links mailed before
    targets were signed per issue, the URL inside the recipient's token). Raises
    signing.BadSignature for a forged or foreign target."""
    if "u" in payload:
        return payload["u"]
    return signing.loads(
        signed_target, salt=_click_url_salt(delivery.newsletter_id), max_age=TOKEN_MAX_AGE
    )


def preferences_url(delivery: Delivery) -> str:
    return _link("newsletter_preferences", make_token(delivery, UNSUBSCRIBE_SALT))


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
        raise ValidationError(_("Not a web link"))
    LinkClick.objects.create(organization_id=delivery.organization_id, delivery=delivery, url=url)
    return url
