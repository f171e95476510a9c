"""How the isolation test makes this app's objects (see tests/test_isolation.py)."""

from .factories import ContactFactory, ImportBatchFactory, PartnerFactory, TagFactory

OBJECT_MAKERS = {
    "partner_id": lambda org: PartnerFactory(organization=org).pk,
    "contact_id": lambda org: ContactFactory(organization=org).pk,
    "tag_id": lambda org: TagFactory(organization=org).pk,
    "batch_token": lambda org: ImportBatchFactory(organization=org).token,
}
