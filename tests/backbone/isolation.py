"""How the isolation test makes the core's objects (see tests/test_isolation.py)."""

from ..factories import InvitationFactory, MembershipFactory

OBJECT_MAKERS = {
    "membership_id": lambda org: MembershipFactory(organization=org).pk,
    "invitation_id": lambda org: InvitationFactory(organization=org).pk,
}
