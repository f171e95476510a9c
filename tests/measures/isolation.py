"""How the isolation test makes this app's objects (see tests/test_isolation.py)."""

from .factories import (
    AgreementFactory,
    DataPointFactory,
    IndicatorFactory,
    IndicatorReviewFactory,
)

OBJECT_MAKERS = {
    "indicator_id": lambda org: IndicatorFactory(initiative__organization=org).pk,
    "data_point_id": lambda org: DataPointFactory(indicator__initiative__organization=org).pk,
    # Without a document: the page walks read HTML (test_agreements_views downloads one).
    "agreement_id": lambda org: AgreementFactory(initiative__organization=org).pk,
    "indicator_review_id": lambda org: IndicatorReviewFactory(initiative__organization=org).pk,
}
