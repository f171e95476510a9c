from django.urls import reverse
from django_scopes import scope

from stakeholders.models import Contact, Tag

from .factories import ContactFactory, TagFactory


def url(name, **kwargs):
    return reverse(f"stakeholders:{name}", kwargs={"org_slug": "riverside", **kwargs})


def test_the_tag_page_counts_contacts_per_tag(world, login):
    tag = TagFactory(organization=world.org, name="speaker")
    TagFactory(organization=world.other_org, name="foreign tag")
    with scope(organization=world.org):
        for contact in (
            ContactFactory(organization=world.org),
            ContactFactory(organization=world.org),
        ):
            contact.tags.add(tag)
    text = login(world.coordinator).get(url("tag_list")).text
    assert "speaker" in text and '<td class="num">2</td>' in text
    assert "foreign tag" not in text


def test_renaming_a_tag_and_refusing_a_clash(world, login):
    tag = TagFactory(organization=world.org, name="speakr")
    TagFactory(organization=world.org, name="youth voice")
    client = login(world.coordinator)
    client.post(url("tag_rename", tag_id=tag.pk), {"name": "  speaker "})
    tag.refresh_from_db()
    assert tag.name == "speaker"
    response = client.post(url("tag_rename", tag_id=tag.pk), {"name": "Youth Voice"}, follow=True)
    assert "There is already a tag called" in response.text
    tag.refresh_from_db()
    assert tag.name == "speaker"


def test_removing_a_tag_keeps_the_contacts(world, login):
    tag = TagFactory(organization=world.org)
    contact = ContactFactory(organization=world.org)
    with scope(organization=world.org):
        contact.tags.add(tag)
    login(world.coordinator).post(url("tag_delete", tag_id=tag.pk))
    with scope(organization=world.org):
        assert not Tag.objects.exists()
        assert Contact.objects.get().tags.count() == 0


def test_only_staff_manage_tags(world, login):
    tag = TagFactory(organization=world.org)
    for user in (world.roundtable, world.partner):
        client = login(user)
        assert client.get(url("tag_list")).status_code == 403
        assert client.post(url("tag_delete", tag_id=tag.pk)).status_code == 403
    with scope(organization=world.org):
        assert Tag.objects.exists()
