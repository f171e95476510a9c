"""The contacts list's rows and count, a partner's people and the capacity table, kept while the organization's registry is
unchanged: one cache read instead of three queries and fifty rows written.

Contacts are personal data and what a member sees depends on who they are (a partner
user sees their own partner's people only), so the key holds the membership and its role,
beside the language (sector and consent labels are translated), the filters and the page
asked for. Every save or delete of a row the list shows or filters by (`SHOWN`), a change
of a contact's tags and an import's bulk writes (`bump_every`) give the organization a new
stamp; a list kept under an older stamp is made afresh.
"""

import hashlib
from collections.abc import Callable
from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models.signals import m2m_changed
from django.dispatch import receiver
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.safestring import SafeString

from backbone.links import row_url
from backbone.models import Membership, Organization
from backbone.stamped_cache import OrganizationStamp

from .models import CapacityAssessment, Contact, Partner, PartnerMembership, Tag

TIMEOUT = 600
SHOWN = (Organization, Membership, PartnerMembership, Partner, Contact, Tag, CapacityAssessment)

CONTACT_LISTS = OrganizationStamp("contact-lists", timeout=TIMEOUT)
CONTACT_LISTS.listen(SHOWN)


def cached_contact_page(
    membership: Membership,
    filters: object,
    page_asked: str | None,
    make: Callable[[], tuple[Page, list[SafeString]]],
) -> tuple[Page, list[SafeString]]:
    """The page of the contacts list (`make()`: the page and its rows) for this member,
    filters and page number: from the cache while the registry is unchanged. The page
    returned from the cache paginates a range of the count: enough for the pagination."""
    language = translation.get_language()
    asked = hashlib.sha256(repr((filters, page_asked)).encode()).hexdigest()
    key = f"contacts:{membership.pk}:{membership.role}:{language}:{asked}"

    def kept() -> tuple[int, int, int, list[SafeString]]:
        page, rows = make()
        return page.paginator.count, page.paginator.per_page, page.number, rows

    count, per_page, number, rows = CONTACT_LISTS.get_or_make(membership.organization_id, key, kept)
    return Paginator(range(count), per_page).get_page(number), rows


def cached_registry_fragment(
    membership: Membership, name: str, parts: tuple, make: Callable[[], Any]
) -> Any:
    """The fragment `name` of the registry (its HTML, or what makes it) for `parts` (the
    ids, filters and page it shows), as this member sees it: from the cache while the
    registry is unchanged, else `make()` and kept."""
    language = translation.get_language()
    asked = hashlib.sha256(repr(parts).encode()).hexdigest()
    key = f"{name}:{membership.pk}:{membership.role}:{language}:{asked}"
    return CONTACT_LISTS.get_or_make(membership.organization_id, key, make)


def partner_people(request, partner: Partner) -> SafeString:
    """The partner page's list of the people who work there (the page's partial "people")."""

    def make() -> SafeString:
        contacts = partner.contacts.order_by("last_name", "first_name").prefetch_related("tags")
        url = row_url(request.organization, "stakeholders:contact_detail", "contact_id")
        context = {"contacts": contacts, "contact_url": url}
        return render_to_string("stakeholders/partner_detail.html#people", context)

    return cached_registry_fragment(request.membership, "partner-people", (partner.pk,), make)


@receiver(m2m_changed, sender=Contact.tags.through, dispatch_uid="contact-lists-tags")
def _tags_changed(sender, instance, action, **kwargs) -> None:
    if action.startswith("post_"):
        CONTACT_LISTS.row_changed(sender, instance)
