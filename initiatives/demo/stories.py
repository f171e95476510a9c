"""Demo stories of change: three of the poverty roundtable (one waiting for consent) and one
of the early-years partnership.

Idempotent: a story is found by initiative and title before it is made.
"""

import datetime

from backbone.demo import DemoWorld

from .. import services
from ..models import Initiative, Story, StoryFeature
from .people import contacts_of, riverside_initiatives


def _story(initiative: Initiative, title: str, text: str, featured, *, consent: bool) -> None:
    if Story.objects.filter(initiative=initiative, title=title).exists():
        return
    story = services.story_create(initiative=initiative, title=title, text=text, featured=featured)
    if consent:
        for feature in StoryFeature.objects.filter(story=story):
            services.story_consent_set(feature=feature, given=True)
        services.story_publish(story=story)


def seed_stories(world: DemoWorld, today: datetime.date) -> None:
    org = world.organizations["riverside"]
    found, contacts = riverside_initiatives(org), contacts_of(org)
    if not found or not contacts:
        return
    poverty, early = found
    with_lived = [c for c in contacts if c.lived_experience]
    _story(
        poverty,
        "From the kitchen table to the roundtable",
        "After the kitchen-table conversation on Elm Street, two residents joined the "
        "**leadership roundtable** as people with lived experience of poverty.",
        with_lived[:2],
        consent=True,
    )
    _story(
        poverty,
        "A tax clinic that found $1.2 million",
        "Volunteers filed returns for 800 families, who received benefits they were owed.",
        with_lived[2:3],
        consent=True,
    )
    _story(
        poverty,
        "Riding the bus with the city's planners",
        "The neighbourhood tour showed planners the 40-minute trip to the nearest grocery store.",
        with_lived[3:4],
        consent=False,  # waiting for consent: not published
    )
    _story(
        early,
        "Parents set the agenda",
        "At the first kitchen-table evening, parents named **childcare near transit** as the "
        "first thing to fix.",
        [],
        consent=True,
    )
