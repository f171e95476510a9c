"""The rules of stories, reached without HTTP: published only with everyone's consent,
and sanitized Markdown."""

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone
from django_scopes import scope

from backbone.markdown import render_markdown
from initiatives import services
from stakeholders.models import Interaction, InteractionKind

from ..stakeholders.factories import ContactFactory
from .factories import (
    StoryFactory,
    StoryFeatureFactory,
)


def test_a_story_is_published_only_when_everyone_featured_consented(world, initiative):
    story = StoryFactory(initiative=initiative, title="Maria's first job")
    maria = StoryFeatureFactory(story=story)
    joe = StoryFeatureFactory(story=story)
    with scope(organization=world.org):
        services.story_consent_set(feature=maria, given=True)
        with pytest.raises(ValidationError, match=joe.contact.full_name):
            services.story_publish(story=story)
        story.refresh_from_db()
        assert not story.published
        services.story_consent_set(feature=joe, given=True)
        services.story_publish(story=story)
        story.refresh_from_db()
        assert story.published and story.published_at
        assert Interaction.objects.filter(kind=InteractionKind.STORY).count() == 2
        services.story_consent_set(feature=joe, given=False)
        story.refresh_from_db()
    assert not story.published


def test_featuring_someone_new_takes_a_published_story_down(world, initiative):
    story = StoryFactory(initiative=initiative, published=True, published_at=timezone.now())
    newcomer = ContactFactory(organization=world.org)
    with scope(organization=world.org):
        services.story_update(story=story, title=story.title, text=story.text, featured=[newcomer])
        story.refresh_from_db()
    assert not story.published


def test_story_markdown_is_sanitized():
    html = render_markdown("**Bold** <script>alert(1)</script> [x](javascript:alert(1))")
    assert "<strong>Bold</strong>" in html
    assert "<script" not in html
    assert "javascript:" not in html
