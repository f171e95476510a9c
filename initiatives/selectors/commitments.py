"""Reads of partners' commitments to an initiative, with their feedback surveys."""

from django.db.models import Prefetch, QuerySet
from django.utils.translation import ngettext

from backbone.deletion import Consequence, Consequences

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


def commitment_removal_consequences(commitment: Commitment) -> Consequences:
    """What `commitment_remove` does to its surveys: open links go, answers stay."""
    surveys = commitment.surveys.all()
    waiting = surveys.filter(answered_at__isnull=True).count()
    answered = surveys.filter(answered_at__isnull=False).count()
    found = Consequences()
    if waiting:
        label = ngettext(
            "feedback survey link not answered yet",
            "feedback survey links not answered yet",
            waiting,
        )
        found.goes.append(Consequence(waiting, label))
    if answered:
        label = ngettext("answered feedback survey", "answered feedback surveys", answered)
        found.stays.append(Consequence(answered, label))
    return found
