"""Demo commitments: Riverside's partners sign on to the poverty roundtable, and United Way
answered its feedback survey.

Idempotent: a commitment is found by initiative and partner before it is made.
"""

import datetime
from decimal import Decimal

from django.utils import timezone

from backbone.demo import DemoWorld
from stakeholders.models import Contact, Partner

from .. import services
from ..models import Commitment, FeedbackSurvey, Initiative, InitiativePartner, PartnerRole
from .people import contacts_of, riverside_initiatives


def _signer(partner: Partner) -> Contact | None:
    return Contact.objects.filter(partner=partner).order_by("id").first()


def _commit(initiative: Initiative, partner: Partner, role: str, **fields) -> Commitment | None:
    found = Commitment.objects.filter(initiative=initiative, partner=partner).first()
    if found:
        return found
    signer = _signer(partner)
    if signer is None:
        return None
    InitiativePartner.objects.get_or_create(
        organization=initiative.organization, initiative=initiative, partner=partner, role=role
    )
    return services.commitment_create(
        initiative=initiative, partner=partner, signed_by=signer, role=role, **fields
    )


def seed_commitments(world: DemoWorld, today: datetime.date) -> None:
    org = world.organizations["riverside"]
    found = riverside_initiatives(org)
    if not found or not contacts_of(org):
        return
    poverty, _early = found
    partners = {p.name: p for p in Partner.objects.filter(organization=org)}
    year_ago = today - datetime.timedelta(days=330)
    commitments = [
        ("United Way Riverside", PartnerRole.FUNDER,
         {"money": Decimal("100000"), "in_kind": "Office space for the backbone team"}),
        ("Riverside Community Foundation", PartnerRole.SPONSOR,
         {"money": Decimal("50000"), "staff_hours": Decimal("16")}),
        ("Riverside Community Food Bank", PartnerRole.PARTNER,
         {"staff_hours": Decimal("8"), "in_kind": "Food for community conversations"}),
        ("Riverside Public Library", PartnerRole.PARTNER,
         {"in_kind": "Meeting rooms at every branch"}),
        ("Confluence Credit Union", PartnerRole.CHAMPION,
         {"money": Decimal("10000"), "staff_hours": Decimal("4")}),
    ]  # fmt: skip
    first = None
    for name, role, resources in commitments:
        partner = partners.get(name)
        if partner is None:
            continue
        commitment = _commit(
            poverty,
            partner,
            role,
            signed_on=year_ago,
            renewal_on=year_ago + datetime.timedelta(days=365),
            **resources,
        )
        first = first or commitment
    if first is not None and not FeedbackSurvey.objects.filter(commitment=first).exists():
        survey = FeedbackSurvey.objects.create(
            organization=org,
            commitment=first,
            initiative=first.initiative,
            partner_name=first.partner.name,
            sent_to=first.signed_by,
            expires_at=timezone.now() + services.SURVEY_VALID_FOR,
        )
        services.survey_answer(
            survey=survey,
            answers={
                "activities": "Funded the backbone team and hosted two community conversations.",
                "collaboration_increased": "yes",
                "collaboration_examples": "The food bank and the tax clinic now refer families "
                "to each other.",
                "resources_committed": "$100,000 next year and the office space.",
                "work_differently": "Our grants now ask applicants which shared indicator they "
                "move.",
                "suggestions": "Share the data earlier so partners can plan.",
            },
        )
