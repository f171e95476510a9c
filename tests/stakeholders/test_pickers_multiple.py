"""The searchable choice of several people (stakeholders.pickers.ContactMultipleChoiceField),
on the story form's "People featured": a multi-select for a short registry, past
PICKER_LIMIT the chosen people as ticked checkboxes and a search, with and without htmx."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django_scopes import scope

from initiatives.models import Story
from stakeholders import pickers

from ..initiatives.factories import InitiativeFactory, StoryFactory, StoryFeatureFactory
from .factories import ContactFactory
from .test_pickers import many_contacts


@pytest.fixture
def long_registry(monkeypatch):
    monkeypatch.setattr(pickers, "PICKER_LIMIT", 3)


def path(world, name, **kwargs):
    return reverse(name, kwargs={"org_slug": world.org.slug, **kwargs})


def boxes(html: str, name: str, *, checked: bool) -> list[str]:
    pattern = rf'<input type="checkbox" name="{name}" value="(\d+)"{" checked" if checked else ""}>'
    return re.findall(pattern, html)


def featured_of(story) -> set[int]:
    with scope(organization=story.organization):
        return set(Story.objects.get(pk=story.pk).features.values_list("contact_id", flat=True))


def test_past_the_real_limit_the_story_form_has_no_option_list(world, login):
    initiative = InitiativeFactory(organization=world.org)
    client = login(world.coordinator)
    stories = path(world, "initiatives:stories", initiative_id=initiative.pk)
    assert '<select name="featured"' in client.get(stories).text  # a few people: a select
    many_contacts(world.org, pickers.PICKER_LIMIT + 1)
    with CaptureQueriesContext(connection) as few:
        page = client.get(stories).text
    assert '<select name="featured"' not in page and "<option" not in page.split("add_featured")[1]
    assert 'name="featured_search"' in page and "<legend>People featured" in page
    search = path(world, "stakeholders:pick_contacts")
    assert f'hx-get="{search}?field=featured&amp;id=add_featured&amp;multiple=1"' in page
    many_contacts(world.org, 300)
    with CaptureQueriesContext(connection) as lots:
        assert len(client.get(stories).text) < len(page) + 200
    assert len(lots) == len(few)


def test_the_search_answers_checkboxes_to_tick(world, login, long_registry):
    many_contacts(world.org, 5, last_name="Okafor")
    answer = login(world.coordinator).get(
        path(world, "stakeholders:pick_contacts"),
        {"field": "featured", "id": "id_featured", "multiple": "1", "featured_search": "okafor"},
        headers={"HX-Request": "true"},
    )
    assert len(boxes(answer.text, "featured", checked=False)) == 5
    assert 'type="radio"' not in answer.text and "None" not in answer.text


def test_editing_keeps_the_chosen_and_adds_the_ticked(world, login, long_registry):
    initiative = InitiativeFactory(organization=world.org)
    story = StoryFactory(initiative=initiative)
    kept = StoryFeatureFactory(story=story, contact__first_name="Kept").contact
    ContactFactory.create_batch(4, organization=world.org)
    added = ContactFactory(organization=world.org, first_name="Added", last_name="Person")
    foreign = ContactFactory(organization=world.other_org)
    client = login(world.coordinator)
    edit = path(world, "initiatives:story_edit", story_id=story.pk)
    page = client.get(edit).text
    assert boxes(page, "featured", checked=True) == [str(kept.pk)]
    seen = re.search(r'name="seen" value="([^"]*)"', page).group(1)
    form = {"title": story.title, "text": story.text, "seen": seen, "featured_search": ""}
    refused = client.post(edit, {**form, "featured": [kept.pk, foreign.pk]})
    assert refused.status_code == 422
    assert client.post(edit, {**form, "featured": [kept.pk, added.pk]}).status_code == 302
    assert featured_of(story) == {kept.pk, added.pk}


def test_without_javascript_a_typed_name_adds_one_person_or_lists_the_matches(
    world, login, long_registry
):
    initiative = InitiativeFactory(organization=world.org)
    ContactFactory.create_batch(4, organization=world.org)
    ravi = ContactFactory(organization=world.org, first_name="Ravi", last_name="Chen")
    mei = ContactFactory(organization=world.org, first_name="Mei", last_name="Chen")
    client = login(world.coordinator)
    stories = path(world, "initiatives:stories", initiative_id=initiative.pk)
    form = {"title": "Tax clinic", "text": "It worked."}
    nobody = client.post(stories, {**form, "featured_search": "Nobody-at-all"})
    assert nobody.status_code == 422 and "No one in the registry matches" in nobody.text
    several = client.post(stories, {**form, "featured_search": "chen"})
    assert several.status_code == 422 and "Several people match “chen”" in several.text
    assert sorted(boxes(several.text, "featured", checked=False)) == sorted(
        [str(ravi.pk), str(mei.pk)]
    )
    # Ticking one of the listed matches answers the typed text.
    chosen = client.post(stories, {**form, "featured_search": "chen", "featured": [mei.pk]})
    assert chosen.status_code == 302
    one = client.post(stories, {**form, "title": "Second", "featured_search": "ravi chen"})
    assert one.status_code == 302
    with scope(organization=world.org):
        by_title = {s.title: s for s in Story.objects.filter(initiative=initiative)}
    assert featured_of(by_title["Tax clinic"]) == {mei.pk}
    assert featured_of(by_title["Second"]) == {ravi.pk}
