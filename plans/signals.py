"""What keeps the public scorecard's cache true: every change to something it shows
bumps the scorecard's version (`services.scorecard.scorecard_bump`), so the next visitor
gets a page made afresh. Connected in `PlansConfig.ready`.

Shown on the scorecard: the initiative, its population indicators (with baseline and
targets) and their approved values (and settled conflicts), the latest issued report
card, published stories (and the consent behind them), public events, and the partners
listed. Bulk approvals and returns skip `save()`: measures sends `data_points_decided`."""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from initiatives.models import EngagementEvent, Initiative, InitiativePartner, Story, StoryFeature
from measures.models import DataPoint, Indicator, Resolution, Target
from measures.signals import data_points_decided

from .models import ReportCard
from .services.scorecard import scorecard_bump

# model: the path from a row to its initiative's id, as a filter on Scorecard.
BY_INITIATIVE = {
    EngagementEvent: lambda row: {"initiative_id": row.initiative_id},
    InitiativePartner: lambda row: {"initiative_id": row.initiative_id},
    Story: lambda row: {"initiative_id": row.initiative_id},
    Indicator: lambda row: {"initiative_id": row.initiative_id},
    ReportCard: lambda row: {"initiative_id": row.initiative_id},
    Initiative: lambda row: {"initiative_id": row.pk},
    StoryFeature: lambda row: {"initiative__stories__id": row.story_id},
    DataPoint: lambda row: {"initiative__indicators__id": row.indicator_id},
    Resolution: lambda row: {"initiative__indicators__id": row.indicator_id},
    Target: lambda row: {"initiative__indicators__id": row.indicator_id},
}


def _changed(sender, instance, **kwargs) -> None:
    if kwargs.get("raw"):
        return  # fixtures being loaded
    scorecard_bump(**BY_INITIATIVE[sender](instance))


for _model in BY_INITIATIVE:
    post_save.connect(_changed, sender=_model, dispatch_uid=f"scorecard-save-{_model.__name__}")
    post_delete.connect(_changed, sender=_model, dispatch_uid=f"scorecard-del-{_model.__name__}")


@receiver(data_points_decided, dispatch_uid="scorecard-decided")
def _decided(sender, indicator_ids, **kwargs) -> None:
    scorecard_bump(initiative__indicators__id__in=sorted(indicator_ids))
