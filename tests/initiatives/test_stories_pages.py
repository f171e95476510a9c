"""The stories pages: writing a story with a photo, publishing with consent, who sees
which, and how many queries the list takes."""

from django.utils import timezone
from django_scopes import scopes_disabled

from initiatives.models import Story

from ..stakeholders.factories import ContactFactory, PartnerFactory
from .factories import InitiativePartnerFactory, StoryFactory, StoryFeatureFactory
from .helpers import assert_refused, assert_same_queries_for_few_and_many, link_partner_user, url


def test_partner_sees_only_published_stories_without_the_people_list(world, login, initiative):
    mine = PartnerFactory(organization=world.org)
    link_partner_user(world, mine)
    InitiativePartnerFactory(initiative=initiative, partner=mine)
    published = StoryFactory(
        initiative=initiative, title="Published one", published=True, published_at=timezone.now()
    )
    StoryFeatureFactory(story=published, contact__first_name="Featuredperson", consent_given=True)
    StoryFactory(initiative=initiative, title="Draft one")
    text = login(world.partner).get(url("stories", world.org, initiative_id=initiative.pk))
    body = text.content.decode()
    assert "Published one" in body and "Draft one" not in body
    assert "Featuredperson" not in body


def test_publishing_without_consent_says_who_is_missing(world, login, initiative):
    story = StoryFactory(initiative=initiative)
    feature = StoryFeatureFactory(story=story, contact__first_name="Maria")
    client = login(world.coordinator)
    response = client.post(url("story_publish", world.org, story_id=story.pk), follow=True)
    assert b"Still waiting for: Maria" in response.content
    client.post(
        url("story_feature_consent", world.org, story_feature_id=feature.pk),
        {"consent_given": "1"},
    )
    client.post(url("story_publish", world.org, story_id=story.pk))
    with scopes_disabled():
        assert Story.objects.get(pk=story.pk).published


def test_coordinator_writes_a_story_with_sanitized_markdown(world, login, initiative):
    contact = ContactFactory(organization=world.org)
    client = login(world.coordinator)
    client.post(
        url("stories", world.org, initiative_id=initiative.pk),
        {
            "title": "Tax clinic",
            "text": "It **worked** <script>x()</script>",
            "featured": [contact.pk],
        },
    )
    body = client.get(url("stories", world.org, initiative_id=initiative.pk)).content.decode()
    assert "<strong>worked</strong>" in body
    assert "<script>x()" not in body


def test_stories_list_takes_the_same_queries_for_few_and_many(world, login, initiative):
    client = login(world.coordinator)
    path = url("stories", world.org, initiative_id=initiative.pk)
    assert_same_queries_for_few_and_many(
        client, path, lambda: StoryFeatureFactory(story__initiative=initiative)
    )


def test_a_story_keeps_its_photo(world, login, initiative, settings, tmp_path):
    import io

    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image

    settings.MEDIA_ROOT = tmp_path
    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), "green").save(buffer, format="PNG")
    photo = SimpleUploadedFile("garden.png", buffer.getvalue(), content_type="image/png")
    login(world.coordinator).post(
        url("stories", world.org, initiative_id=initiative.pk),
        {"title": "The community garden", "text": "Tomatoes.", "photo": photo},
    )
    with scopes_disabled():
        story = Story.objects.get(title="The community garden")
    assert story.photo.name.endswith("garden.png")
    assert (tmp_path / story.photo.name).exists()


def test_a_file_that_is_not_an_image_is_refused_as_a_photo(world, login, initiative):
    from django.core.files.uploadedfile import SimpleUploadedFile

    response = login(world.coordinator).post(
        url("stories", world.org, initiative_id=initiative.pk),
        {
            "title": "Not a photo",
            "text": "x",
            "photo": SimpleUploadedFile("x.png", b"not an image", content_type="image/png"),
        },
    )
    assert_refused(response, "Upload a valid image.")
    with scopes_disabled():
        assert not Story.objects.filter(title="Not a photo").exists()
