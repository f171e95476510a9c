"""Reads of stories of change: who sees which."""

from django.db.models import Prefetch, QuerySet

from backbone.models import Membership, Role

from ..models import Initiative, Story, StoryFeature


def stories_of(initiative: Initiative, membership: Membership) -> QuerySet[Story]:
    """Staff and roundtable see every story; partner users only published ones."""
    queryset = Story.objects.filter(
        organization_id=initiative.organization_id, initiative=initiative
    )
    if membership.role == Role.PARTNER:
        queryset = queryset.filter(published=True)
    return queryset.prefetch_related(
        Prefetch("features", queryset=StoryFeature.objects.select_related("contact"))
    )
