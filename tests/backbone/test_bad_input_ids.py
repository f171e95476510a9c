"""The root of bad-input handling: NUL bytes answer 400 before any view, ids are read by
one helper, and the one multi-select of objects refuses what is not an id."""

import pathlib

import pytest
from django.core.exceptions import BadRequest
from django_scopes import scope

from backbone.access import access
from backbone.ids import id_parse, id_require, ids_parse, whole_number
from backbone.models import Membership
from initiatives.forms.stories import StoryForm

from ..initiatives.factories import InitiativeFactory
from ..stakeholders.factories import ContactFactory

NOT_IDS = ["abc", "1.5", "99999999999999999999", "\u00b2", "-1", "0", "", " ", None, True, 2**63]


@pytest.mark.parametrize("value", NOT_IDS)
def test_what_is_not_an_id_is_refused(value):
    assert id_parse(value) is None
    with pytest.raises(BadRequest):
        id_require(value)


def test_ids_are_read_and_the_rest_left_out():
    assert id_parse("42") == id_parse(42) == 42
    assert id_parse(str(2**63 - 1)) == 2**63 - 1
    assert ids_parse(["3", "abc", "1.5", "\u00b2", "99999999999999999999", "7"]) == [3, 7]
    assert whole_number("0") == 0
    assert whole_number("400", maximum=365) is None


@pytest.mark.parametrize("path", ["/o/riverside/members/", "/accounts/login/"])
@pytest.mark.parametrize("where", ["value", "key"])
def test_a_nul_byte_in_a_query_or_a_form_answers_400(world, login, path, where):
    client = login(world.admin)
    data = {"q": "a\x00b"} if where == "value" else {"q\x00": "b"}
    assert client.get(path, data).status_code == 400
    response = client.post(path, data)
    assert response.status_code == 400
    assert "read this request" in response.content.decode()


def test_access_answers_400_to_what_is_not_an_id(world, rf):
    request = rf.get("/")
    request.organization = world.org
    for value in ["abc", "1.5", "99999999999999999999", "\u00b2"]:
        with pytest.raises(BadRequest):
            access(request, Membership, pk=value)
    member = Membership.objects.filter(organization=world.org).first()
    assert access(request, Membership, pk=str(member.pk)) == member


@pytest.mark.parametrize("value", ["abc", "1.5", "99999999999999999999", "\u00b2"])
def test_the_featured_people_of_a_story_refuse_what_is_not_an_id(world, value):
    initiative = InitiativeFactory(organization=world.org)
    contact = ContactFactory(organization=world.org)
    data = {"title": "T", "text": "x", "featured": [str(contact.pk), value]}
    with scope(organization=world.org):
        form = StoryForm(data, initiative=initiative)
        assert not form.is_valid()
    assert "featured" in form.errors


def test_no_multi_select_of_objects_bypasses_the_id_check():
    # Django's ModelMultipleChoiceField sends 99999999999999999999 to SQLite, which
    # overflows: every multi-select of objects is an IdMultipleChoiceField.
    root = pathlib.Path(__file__).resolve().parents[2]
    offenders = [
        str(path.relative_to(root))
        for app in ["backbone", "stakeholders", "initiatives", "measures", "plans"]
        for path in (root / app).rglob("*.py")
        if "ModelMultipleChoiceField(" in path.read_text() and path.name != "ids.py"
    ]
    assert not offenders
