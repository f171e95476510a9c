"""Reads of partner feedback surveys: who may read which answers."""

from django.db.models import QuerySet

from backbone.models import Membership

from ..models import FeedbackSurvey, Initiative
from .initiative import rows_visible_to
from .people import people_view_for


def feedback_surveys_visible_to(membership: Membership) -> QuerySet[FeedbackSurvey]:
    """Surveys of the initiatives this member sees; a partner reads its own feedback, not
    what other partners told the backbone."""
    surveys = rows_visible_to(membership, FeedbackSurvey, through="initiative")
    view = people_view_for(membership)
    if not view.details:
        surveys = surveys.filter(commitment__partner_id=view.own_partner_id)
    return surveys.select_related("initiative", "sent_to")


def surveys_of_removed_commitments(
    membership: Membership, initiative: Initiative
) -> QuerySet[FeedbackSurvey]:
    """The answered surveys of the initiative whose commitment was removed: the answers
    stay, under the partner's name, to those who may read other partners' feedback."""
    return (
        feedback_surveys_visible_to(membership)
        .filter(initiative=initiative, commitment__isnull=True, answered_at__isnull=False)
        .order_by("-answered_at", "-id")
    )
