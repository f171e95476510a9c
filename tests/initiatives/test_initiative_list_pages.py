from initiatives.views.initiative import INITIATIVES_PAGE_SIZE

from .factories import InitiativeFactory


def test_the_initiatives_list_is_paginated_and_keeps_its_filters(world, login):
    for n in range(INITIATIVES_PAGE_SIZE + 2):
        InitiativeFactory(organization=world.org, name=f"Initiative {n:03d}", geography="North")
    client = login(world.coordinator)
    url = f"/o/{world.org.slug}/initiatives/"
    first = client.get(url, {"q": "North"})
    assert first.status_code == 200
    assert len(first.context["initiatives"]) == INITIATIVES_PAGE_SIZE
    assert "q=North&amp;page=2" in first.content.decode()
    second = client.get(url, {"q": "North", "page": 2})
    assert [i.name for i in second.context["initiatives"]] == ["Initiative 050", "Initiative 051"]
