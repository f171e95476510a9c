from django.db.models import QuerySet

from backbone.models import Membership, Role
from stakeholders.selectors import partner_of

from .models import Initiative


def initiatives_visible_to(
    membership: Membership, *, include_archived: bool = False
) -> QuerySet[Initiative]:
    """The initiatives this member may see.

    Staff and roundtable members see all of the organization's; a partner user
    sees those their partner takes part in (none while they are not linked).
    """
    queryset = Initiative.objects.filter(organization_id=membership.organization_id)
    if not include_archived:
        queryset = queryset.filter(archived_at__isnull=True)
    if membership.role == Role.PARTNER:
        partner = partner_of(membership)
        if partner is None:
            return queryset.none()
        queryset = queryset.filter(partner_links__partner=partner).distinct()
    return queryset
