from backbone.models import Membership, Role

from .models import Partner, PartnerMembership


def partner_of(membership: Membership | None) -> Partner | None:
    """The Partner a partner user reports for; None for other roles or an unlinked partner user."""
    if membership is None or membership.role != Role.PARTNER:
        return None
    link = (
        PartnerMembership.objects.filter(
            membership=membership, organization_id=membership.organization_id
        )
        .select_related("partner")
        .first()
    )
    return link.partner if link else None
