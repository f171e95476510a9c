"""How the isolation test makes this app's objects (see tests/test_isolation.py)."""

from .factories import (
    ActionItemFactory,
    DeliverableFactory,
    FundingCommitmentFactory,
    InitiativeFactory,
    InitiativePartnerFactory,
    ReadinessItemFactory,
    RiskFactory,
    TeamFactory,
    TeamMemberFactory,
)

OBJECT_MAKERS = {
    "initiative_id": lambda org: InitiativeFactory(organization=org).pk,
    "readiness_item_id": lambda org: ReadinessItemFactory(initiative__organization=org).pk,
    "deliverable_id": lambda org: DeliverableFactory(initiative__organization=org).pk,
    "action_item_id": lambda org: ActionItemFactory(initiative__organization=org).pk,
    "team_id": lambda org: TeamFactory(initiative__organization=org).pk,
    "team_member_id": lambda org: TeamMemberFactory(team__initiative__organization=org).pk,
    "risk_id": lambda org: RiskFactory(initiative__organization=org).pk,
    "initiative_partner_id": lambda org: InitiativePartnerFactory(initiative__organization=org).pk,
    "funding_commitment_id": lambda org: FundingCommitmentFactory(initiative__organization=org).pk,
}
