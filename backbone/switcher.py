"""The organization switcher's list, cached per person so the shell runs no query for it.

The base layout lists every organization the person belongs to. That list changes only
when one of their memberships does (joined, left, role changed) or one of those
organizations is renamed, so it is kept in the cache under the person's
`switcher_stamp`, a random value that those changes replace (`switcher_refresh`). The
stamp is read with the user on every request anyway; a changed stamp is a new key, so a
stale list is never shown, and a rolled-back change leaves the old stamp and its list.
The list is filled on sign-in, on each change, and by the first page that misses it.
"""

import uuid
from dataclasses import dataclass

from django.contrib.auth.signals import user_logged_in
from django.core.cache import cache
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from .models import Membership, Organization, Role, User

TIMEOUT = 7 * 24 * 3600


@dataclass(frozen=True)
class SwitcherEntry:
    organization_id: int
    slug: str
    name: str
    role: str

    @property
    def role_label(self) -> str:
        return Role(self.role).label  # translated when shown, in the page's language


def _key(user_id: int, stamp) -> str:
    return f"switcher:{user_id}:{stamp}"


def _fill(user_id: int, stamp) -> list[SwitcherEntry]:
    entries = [
        SwitcherEntry(m.organization_id, m.organization.slug, m.organization.name, m.role)
        for m in Membership.objects.filter(user_id=user_id).select_related("organization")
    ]
    cache.set(_key(user_id, stamp), entries, TIMEOUT)
    return entries


def switcher_entries(user) -> list[SwitcherEntry]:
    """The person's organizations, by name: from the cache, one query when it misses."""
    if user is None or not user.is_authenticated:
        return []
    entries = cache.get(_key(user.pk, user.switcher_stamp))
    return _fill(user.pk, user.switcher_stamp) if entries is None else entries


def switcher_refresh(user_id: int) -> None:
    """Give this person a new stamp (their cached list is then never read again) and fill it."""
    stamp = uuid.uuid4()
    User.objects.filter(pk=user_id).update(switcher_stamp=stamp)
    _fill(user_id, stamp)


@receiver(user_logged_in)
def _on_sign_in(sender, request, user, **kwargs):
    switcher_entries(user)


@receiver([post_save, post_delete], sender=Membership)
def _on_membership_change(sender, instance, **kwargs):
    switcher_refresh(instance.user_id)


@receiver(post_save, sender=Organization)
def _on_organization_change(sender, instance, created, **kwargs):
    if not created:  # a new organization has no members yet
        stamp = uuid.uuid4()
        User.objects.filter(memberships__organization=instance).update(switcher_stamp=stamp)
