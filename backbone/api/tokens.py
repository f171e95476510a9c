"""Personal API tokens: made and revoked by their owner on the profile page.

A token belongs to one membership (one person in one organization) and acts with its role.
Only the SHA-256 of the secret is stored; the secret is shown once, when it is made.
"""

import datetime

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from ..models import ApiToken, Membership, User, hash_token

# Writing "last used" on every request would make each read a write; once a minute is enough.
TOUCH_EVERY = datetime.timedelta(minutes=1)


@transaction.atomic
def api_token_create(*, membership: Membership, name: str) -> tuple[ApiToken, str]:
    """A new token for `membership`, and its secret (to show once; it is not kept)."""
    secret = ApiToken.new_secret()
    token = ApiToken.objects.create(
        membership=membership,
        name=name.strip(),
        key_hash=hash_token(secret),
        hint=secret[: len(ApiToken.PREFIX) + 4],
    )
    return token, secret


@transaction.atomic
def api_token_revoke(*, token: ApiToken) -> ApiToken:
    """Stop `token` at once (the next request with it is refused). Safe to call twice."""
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        ApiToken.objects.filter(pk=token.pk, revoked_at=None).update(revoked_at=token.revoked_at)
    return token


def api_token_touch(token: ApiToken) -> None:
    """Note that `token` was used now (at most once a minute)."""
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at >= TOUCH_EVERY:
        token.last_used_at = now
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)


def api_token_find(secret: str) -> ApiToken | None:
    """The live token whose secret is `secret`, with its membership, or None."""
    if not secret.startswith(ApiToken.PREFIX) or len(secret) > 100:
        return None
    return (
        ApiToken.objects.select_related("membership__organization", "membership__user")
        .filter(key_hash=hash_token(secret), revoked_at=None, membership__user__is_active=True)
        .first()
    )


def api_tokens_of(user: User) -> QuerySet[ApiToken]:
    """The person's tokens in every organization, newest first (revoked ones included)."""
    return ApiToken.objects.filter(membership__user=user).select_related("membership__organization")
