"""A story's photo is served by a view that checks organization and visibility; nothing
serves the media folder itself."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django_scopes import scopes_disabled
from PIL import Image

from initiatives.models import Story

from .factories import StoryFactory


def png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), "green").save(buffer, format="PNG")
    return buffer.getvalue()


@pytest.fixture
def story_with_photo(world, initiative):
    with scopes_disabled():
        story = StoryFactory(initiative=initiative, title="The community garden", published=False)
        story.photo.save("garden.png", SimpleUploadedFile("garden.png", png()), save=True)
    return story


def photo_url(story) -> str:
    return f"/o/riverside/initiatives/stories/{story.pk}/photo/"


def test_the_stories_page_shows_the_photo_through_its_view(
    world, login, initiative, story_with_photo
):
    body = login(world.coordinator).get(f"/o/riverside/initiatives/{initiative.pk}/stories/")
    assert f'src="{photo_url(story_with_photo)}"' in body.content.decode()


def test_a_member_gets_the_photo_and_no_shared_cache_keeps_it(world, login, story_with_photo):
    response = login(world.coordinator).get(photo_url(story_with_photo))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == png()
    assert response["Content-Type"] == "image/png"
    assert "private" in response["Cache-Control"]


def test_a_partner_does_not_see_the_photo_of_an_unpublished_story(world, login, story_with_photo):
    assert login(world.partner).get(photo_url(story_with_photo)).status_code == 404


def test_a_story_without_a_photo_has_none_to_serve(world, login, initiative):
    with scopes_disabled():
        story = StoryFactory(initiative=initiative)
    assert login(world.coordinator).get(photo_url(story)).status_code == 404


def test_the_media_folder_is_not_served(world, client, story_with_photo):
    with scopes_disabled():
        name = Story.objects.get(pk=story_with_photo.pk).photo.name
    assert client.get(f"/media/{name}").status_code == 404


def test_with_a_sendfile_header_the_web_server_sends_the_file(
    world, login, story_with_photo, settings
):
    settings.SENDFILE_HEADER = "X-Accel-Redirect"
    settings.SENDFILE_PREFIX = "/protected/"
    response = login(world.coordinator).get(photo_url(story_with_photo))
    assert response.status_code == 200
    with scopes_disabled():
        name = Story.objects.get(pk=story_with_photo.pk).photo.name
    assert response["X-Accel-Redirect"] == f"/protected/{name}"
    assert response.content == b""
