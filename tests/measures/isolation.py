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
    # With a document, so that the document's own URL is reached too.
    "agreement_id": lambda org: (
        AgreementFactory(
            initiative__organization=org, document=ContentFile(b"%PDF-1.4", name="mou.pdf")
        ).pk
    ),
    "review_id": lambda org: IndicatorReviewFactory(initiative__organization=org).pk,
}
