"""Writes on partners' commitments to an initiative; the signature goes into the signer's
timeline in the registry, once."""

import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from backbone.links import org_url
from backbone.models import User
from stakeholders.models import Contact, InteractionKind, Partner
from stakeholders.services import interaction_record

from ..models import Commitment, Initiative
from .initiative import check_same_organization
from .rows import row_create


def _check_signer(partner: Partner, signed_by: Contact) -> None:
    if signed_by.partner_id != partner.pk:
        raise ValidationError(
            {"signed_by": _("The person who signs must work at %(p)s.") % {"p": partner}}
        )


def _write_signature(commitment: Commitment, by: User | None) -> None:
    interaction_record(
        contact=commitment.signed_by,
        kind=InteractionKind.COMMITMENT,
        summary=_("Signed %(partner)s's commitment to “%(initiative)s”")
        % {"partner": commitment.partner, "initiative": commitment.initiative},
        occurred_at=timezone.make_aware(
            datetime.datetime.combine(commitment.signed_on, datetime.time(12))
        ),
        url=org_url(
            commitment.organization,
            "initiatives:commitments",
            initiative_id=commitment.initiative_id,
        ),
        created_by=by,
        key=f"commitment:{commitment.pk}:signed",
    )


@transaction.atomic
def commitment_create(
    *,
    initiative: Initiative,
    partner: Partner,
    signed_by: Contact,
    signed_on: datetime.date,
    role: str,
    money: Decimal | None = None,
    staff_hours: Decimal | None = None,
    in_kind: str = "",
    renewal_on: datetime.date | None = None,
    by: User | None = None,
) -> Commitment:
    check_same_organization(initiative, partner, signed_by, field="partner")
    _check_signer(partner, signed_by)
    if renewal_on and renewal_on < signed_on:
        raise ValidationError({"renewal_on": _("The renewal can't be before the signature.")})
    fields = {
        "partner": partner,
        "role": role,
        "money": money,
        "staff_hours": staff_hours,
        "in_kind": in_kind,
        "signed_on": signed_on,
        "signed_by": signed_by,
        "renewal_on": renewal_on,
    }
    commitment = row_create(Commitment, initiative, fields)
    _write_signature(commitment, by)
    return commitment


@transaction.atomic
def commitment_remove(*, commitment: Commitment) -> None:
    """Remove a commitment. Its unanswered survey links go (they stop working); answered
    surveys stay under the initiative with the partner's name."""
    commitment.surveys.filter(answered_at__isnull=True).delete()
    commitment.delete()
