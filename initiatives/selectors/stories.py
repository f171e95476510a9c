"""Reads of stories of change: who sees which."""

from django.db.models import Prefetch, QuerySet

from backbone.models import Membership, Role

from ..models import Initiative, Story, StoryFeature


def stories_visible_to(membership: Membership) -> QuerySet[Story]:
    """The organization's stories this member may see: partner users only published ones."""
    queryset = Story.objects.filter(organization_id=membership.organization_id)
    if membership.role == Role.PARTNER:
        queryset = queryset.filter(published=True)
    return queryset


def stories_of(initiative: Initiative, membership: Membership) -> QuerySet[Story]:
    """The initiative's stories this member may see, with the people featured."""
    return (
        stories_visible_to(membership)
        .filter(initiative=initiative)
        .prefetch_related(
            Prefetch("features", queryset=StoryFeature.objects.select_related("contact"))
        )
    )
