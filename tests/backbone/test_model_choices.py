"""backbone.form_renderer.ModelChoiceIterator, on every ModelChoiceField: the choices Django's
iterator gives, read in one plain query (no server-side cursor)."""

from django import forms
from django.db import connection
from django.forms import models

from backbone.form_renderer import ModelChoiceIterator
from backbone.models import Membership, Organization, User


def executed_sql(function):
    """What `function` returns, and the SQL it ran: a statement run on a server-side cursor
    (DECLARE, FETCH, CLOSE) starts with "server-side cursor:"."""
    queries = []

    def record(execute, sql, params, many, context):
        server_side = "Server" in type(context["cursor"].cursor).__name__
        queries.append(f"server-side cursor: {sql}" if server_side else sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(record):
        result = function()
    return result, queries


def labels(choices):
    return [(str(value), label) for value, label in choices]


def test_it_is_installed_on_every_model_choice_field():
    assert forms.ModelChoiceField.iterator is ModelChoiceIterator
    assert forms.ModelMultipleChoiceField.iterator is ModelChoiceIterator


def test_the_choices_are_djangos_read_in_one_query_without_a_cursor(world):
    field = forms.ModelChoiceField(User.objects.order_by("email"))
    ours, queries = executed_sql(lambda: list(iter(field.choices)))
    assert len(queries) == 1
    assert not queries[0].startswith("server-side cursor:")
    djangos, django_queries = executed_sql(lambda: list(iter(models.ModelChoiceIterator(field))))
    assert labels(ours) == labels(djangos)
    assert ours[0] == ("", "---------") and len(ours) == User.objects.count() + 1
    assert ours[1][0].instance == djangos[1][0].instance
    if connection.vendor == "postgresql" and not connection.settings_dict.get(
        "DISABLE_SERVER_SIDE_CURSORS"
    ):
        assert django_queries[0].startswith("server-side cursor:")  # Django's


def test_multiple_choices_and_no_empty_label(world):
    field = forms.ModelMultipleChoiceField(Organization.objects.order_by("name"))
    ours, queries = executed_sql(lambda: list(iter(field.choices)))
    assert len(queries) == 1
    assert [label for _value, label in ours] == ["Northbay Alliance", "Riverside Collective"]


def test_prefetches_are_respected(world):
    queryset = User.objects.order_by("email").prefetch_related("memberships")
    field = forms.ModelChoiceField(queryset, empty_label=None)
    field.label_from_instance = lambda user: f"{user.email} {len(user.memberships.all())}"
    ours, queries = executed_sql(lambda: list(iter(field.choices)))
    assert len(queries) == 2  # the users, then all their memberships
    assert ours[0][1] == f"{ours[0][0].instance.email} 1"
    assert Membership.objects.count() == len(ours)


def test_a_form_shows_and_validates_the_same_choices(world):
    class Form(forms.Form):
        user = forms.ModelChoiceField(User.objects.order_by("email"))

    form = Form({"user": str(world.coordinator.pk)})
    assert form.is_valid() and form.cleaned_data["user"] == world.coordinator
    html = str(form["user"])
    assert f'<option value="{world.coordinator.pk}">{world.coordinator}</option>' in html.replace(
        " selected", ""
    )
