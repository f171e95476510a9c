"""Reads of partners' commitments to an initiative, with their feedback surveys."""

from django.db.models import Prefetch, QuerySet

from ..models import Commitment, FeedbackSurvey, Initiative


def commitments_of(initiative: Initiative) -> QuerySet[Commitment]:
    return (
        Commitment.objects.filter(organization_id=initiative.organization_id, initiative=initiative)
        .select_related("partner", "signed_by")
        .prefetch_related(
            Prefetch(
                "surveys",
                queryset=FeedbackSurvey.objects.select_related("sent_to").order_by("-sent_at"),
            )
        )
    )
