"""How the isolation test makes this app's objects (see tests/test_isolation.py)."""

from .factories import DataPointFactory, IndicatorFactory

OBJECT_MAKERS = {
    "indicator_id": lambda org: IndicatorFactory(initiative__organization=org).pk,
    "data_point_id": lambda org: DataPointFactory(indicator__initiative__organization=org).pk,
}
