"""What shared measurement tells people (through `backbone.notifications.notify`)."""

from django.utils.translation import gettext as _

from backbone.links import org_url
from backbone.notifications import Kind, notify, staff_of
from stakeholders.models import PartnerMembership

from .models import DataPoint


def _label(point: DataPoint) -> str:
    cell = f" ({point.cell})" if point.cell else ""
    return f"{point.indicator.name}{cell}, {point.indicator.period(point.period)}"


def tell_returned(points: list[DataPoint], reason: str) -> None:
    """Each returned value, to its partner's users: what, and why."""
    for point in points:
        users = PartnerMembership.objects.filter(partner_id=point.partner_id).values_list(
            "membership__user_id", flat=True
        )
        notify(
            organization=point.organization,
            recipients=list(users),
            kind=Kind.VALUE_RETURNED,
            key=f"value_returned:{point.pk}:{point.version}",
            title=lambda point=point: (
                _("Returned to fix: %(value)s — %(reason)s")
                % {"value": _label(point), "reason": reason}
            ),
            url=org_url(
                point.organization, "measures:entry", initiative_id=point.indicator.initiative_id
            )
            + f"?period={point.period}",
        )


def tell_submitted(point: DataPoint) -> None:
    """A submitted value, to the staff (who take it in their daily digest by default)."""
    notify(
        organization=point.organization,
        recipients=staff_of(point.organization),
        kind=Kind.VALUES_SUBMITTED,
        key=f"values_submitted:{point.pk}:{point.version}",
        title=lambda: (
            _("%(partner)s submitted %(value)s")
            % {"partner": point.partner.name, "value": _label(point)}
        ),
        url=org_url(point.organization, "measures:approvals"),
    )
