"""How a person's engagement changed is a fact about the past: removing them from the
initiative, or then deleting them from the registry, keeps it (with their name); joining
again takes it back; the removal page says what goes and what stays."""

from django_scopes import scope

from initiatives.models import LevelChange, Participation
from initiatives.services import participation_add, participation_remove
from stakeholders.services import contact_delete

from ..stakeholders.factories import ContactFactory
from .factories import InitiativeFactory

BASE = "/o/riverside/initiatives"


def engaged(world):
    """Ada, taking part, moved from inform to involve."""
    initiative = InitiativeFactory(organization=world.org)
    ada = ContactFactory(organization=world.org, first_name="Ada", last_name="Lovelace")
    with scope(organization=world.org):
        participation = participation_add(
            initiative=initiative, contact=ada, roles=["champion"], level="inform"
        )
        participation_add(initiative=initiative, contact=ada, roles=["champion"], level="involve")
    return initiative, ada, participation


def history(initiative):
    return list(
        LevelChange.objects.filter(initiative=initiative)
        .order_by("at", "id")
        .values_list("name", "from_level", "to_level")
    )


def test_removing_a_participation_keeps_the_level_history_and_rejoining_takes_it_back(world):
    initiative, ada, participation = engaged(world)
    with scope(organization=world.org):
        participation_remove(participation=participation)
        assert not Participation.objects.filter(pk=participation.pk).exists()
        assert history(initiative) == [
            ("Ada Lovelace", "", "inform"),
            ("Ada Lovelace", "inform", "involve"),
        ]
        again = participation_add(
            initiative=initiative, contact=ada, roles=["champion"], level="collaborate"
        )
        assert [c.to_level for c in again.level_changes.order_by("at", "id")] == [
            "inform",
            "involve",
            "collaborate",
        ]
        assert again.level_changes.order_by("at", "id").last().from_level == "involve"


def test_deleting_the_person_afterwards_keeps_the_history_under_their_name(world):
    initiative, ada, participation = engaged(world)
    with scope(organization=world.org):
        participation_remove(participation=participation)
        contact_delete(contact=ada)
        assert history(initiative) == [
            ("Ada Lovelace", "", "inform"),
            ("Ada Lovelace", "inform", "involve"),
        ]
        assert not LevelChange.objects.filter(contact__isnull=False).exists()


def test_the_removal_page_says_what_goes_and_what_stays_and_a_get_removes_nothing(world, login):
    initiative, _ada, participation = engaged(world)
    client = login(world.coordinator)
    url = f"{BASE}/participations/{participation.pk}/remove/"
    edit_page = client.get(f"{BASE}/participations/{participation.pk}/edit/").text
    assert f'href="{url}"' in edit_page  # the button leads to the confirmation first

    page = client.get(url)

    assert page.status_code == 200
    goes, stays = page.text.split("What stays")
    assert "1 participation role" in goes.split("What goes with it")[1]
    assert "2 engagement level changes" in stays
    with scope(organization=world.org):
        assert Participation.objects.filter(pk=participation.pk).exists()
    assert client.post(url).status_code == 302
    with scope(organization=world.org):
        assert not Participation.objects.filter(pk=participation.pk).exists()
        assert LevelChange.objects.filter(initiative=initiative).count() == 2


def test_the_contact_deletion_page_says_their_level_history_stays(world, login):
    _initiative, ada, participation = engaged(world)
    with scope(organization=world.org):
        participation_remove(participation=participation)
    page = login(world.coordinator).get(f"/o/riverside/stakeholders/contacts/{ada.pk}/delete/")
    assert "2 engagement level changes" in page.text.split("What stays")[1]
