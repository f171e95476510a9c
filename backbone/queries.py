"""Query pieces every app uses."""

from django.db.models import Count, IntegerField, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce


def subquery_count(queryset: QuerySet, by: str) -> Coalesce:
    """A correlated COUNT(*) of `queryset` (filtered on an OuterRef of the column `by`):
    no joins in the outer query, so several counts side by side don't multiply."""
    return Coalesce(
        Subquery(
            queryset.order_by().values(by).annotate(n=Count("id")).values("n"),
            output_field=IntegerField(),
        ),
        Value(0),
    )
