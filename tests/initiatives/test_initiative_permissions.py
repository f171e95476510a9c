"""Every initiatives URL, walked as each reading role: they read, they never write."""

import pytest
from django.urls import reverse
from django_scopes import scopes_disabled

from initiatives.models import Initiative

from ..stakeholders.factories import PartnerMembershipFactory
from ..test_isolation import OBJECT_MAKERS, organization_urls
from .factories import InitiativePartnerFactory

URLS = [(name, kwargs) for name, kwargs in organization_urls() if name.startswith("initiatives:")]
READ_ONLY = {
    "initiatives:index",
    "initiatives:actions_due",
    "initiatives:overview",
    "initiatives:detail",
    "initiatives:readiness",
    "initiatives:deliverables",
    "initiatives:actions",
    "initiatives:governance",
    "initiatives:risks",
    "initiatives:funding",
    "initiatives:people",
    "initiatives:system_map",
    "initiatives:events",
    "initiatives:event",
    "initiatives:commitments",
    "initiatives:feedback_survey",
    "initiatives:stories",
    "initiatives:capacity",
}
# Files served to readers; the makers make none, so there is nothing to send (404).
FILES = {"initiatives:story_photo"}
# The reflection board is the roundtable's to write too (notes and votes; POST only).
REFLECT = {"initiatives:reflection_note_add", "initiatives:reflection_vote"}
# Pages that show a list to readers and take an added row from editors on POST.
LIST_AND_ADD = READ_ONLY - {
    "initiatives:index",
    "initiatives:actions_due",
    "initiatives:overview",
    "initiatives:detail",
    "initiatives:system_map",
    "initiatives:event",
    "initiatives:feedback_survey",
    "initiatives:capacity",
}

# Read pages that compare partners with each other: not for a partner user's eyes.
NOT_FOR_PARTNERS = {"initiatives:capacity"}


def url_for(world, name, kwargs):
    values = {k: OBJECT_MAKERS[k](world.org) for k in kwargs}
    return reverse(name, kwargs={"org_slug": world.org.slug, **values})


def test_the_walk_covers_the_initiatives_urls():
    assert {name for name, _ in URLS} >= READ_ONLY | {"initiatives:phase_change"}


@pytest.mark.parametrize(("name", "kwargs"), URLS, ids=[n for n, _ in URLS])
def test_the_roundtable_reads_but_cannot_write(world, login, name, kwargs):
    client = login(world.roundtable)
    url = url_for(world, name, kwargs)
    get, post = client.get(url).status_code, client.post(url).status_code
    if name in READ_ONLY:
        assert get == 200, url
        expected = {403} if name in LIST_AND_ADD else {200}
        assert post in expected, (url, post)
    elif name in FILES:
        assert (get, post) == (404, 405), (url, get, post)
    elif name in REFLECT:
        assert (get, post) == (405, 302), (url, get, post)
    else:
        assert {get, post} <= {403, 405}, (url, get, post)
        assert 403 in {get, post}, url


@pytest.mark.parametrize(("name", "kwargs"), URLS, ids=[n for n, _ in URLS])
def test_a_partner_cannot_write_even_in_an_initiative_their_partner_joins(
    world, login, name, kwargs
):
    link = PartnerMembershipFactory(
        membership=world.membership(world.partner), organization=world.org
    )
    url = url_for(world, name, kwargs)
    with scopes_disabled():
        for initiative in Initiative.objects.filter(organization=world.org):
            InitiativePartnerFactory(initiative=initiative, partner=link.partner)
    status = login(world.partner).post(url).status_code
    if name == "initiatives:feedback_survey":
        # Another partner's answers: not even readable (tested on its own).
        assert status == 404
    elif name in READ_ONLY - LIST_AND_ADD - NOT_FOR_PARTNERS:
        assert status == 200
    else:
        assert status in {403, 405}, (url, status)
