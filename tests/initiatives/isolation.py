"""How the isolation test makes this app's objects (see tests/test_isolation.py)."""

from .factories import InitiativeFactory

OBJECT_MAKERS = {
    "initiative_id": lambda org: InitiativeFactory(organization=org).pk,
}
