"""Private calendar feeds: one secret address per membership (see `CalendarFeed`).

The token is 256 random bits, kept only as its SHA-256; the address is shown once, when
it is made, and a new one replaces it. What a feed lists is composed by the top app
(`plans.selectors.calendar`): the core only answers whose feed a token opens."""

import secrets

from django.db import transaction

from .models import CalendarFeed, Membership, hash_token

# Shorter than this cannot be one of ours (token_urlsafe(32) is 43 characters).
TOKEN_MIN_LENGTH = 40


@transaction.atomic
def calendar_feed_renew(*, membership: Membership) -> str:
    """Make (or replace) the member's feed address; returns the new token, the only time
    it is known: the old address stops at once."""
    token = secrets.token_urlsafe(32)
    CalendarFeed.objects.update_or_create(
        membership=membership, defaults={"token_hash": hash_token(token)}
    )
    return token


@transaction.atomic
def calendar_feed_revoke(*, membership: Membership) -> None:
    CalendarFeed.objects.filter(membership=membership).delete()


def calendar_feed_membership(token: str) -> Membership | None:
    """The membership whose feed `token` opens; None for an unknown or revoked token."""
    if len(token) < TOKEN_MIN_LENGTH:
        return None
    feed = (
        CalendarFeed.objects.filter(token_hash=hash_token(token))
        .select_related("membership__organization", "membership__user")
        .first()
    )
    return feed.membership if feed else None
