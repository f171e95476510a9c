"""The project's form renderer writes a <select> in Python: the same HTML as Django's
templates, character for character, for every kind of select the forms use."""

import datetime as dt

import pytest
from django import forms
from django.forms.renderers import DjangoTemplates, get_default_renderer
from django.utils.safestring import mark_safe
from django.utils.translation import override

from backbone.form_renderer import FormRenderer, select_html
from backbone.models import Organization


class Options(forms.Form):
    plain = forms.ChoiceField(choices=[("", "Any"), ("a", "A & B"), ("b", "<b>")])
    grouped = forms.ChoiceField(
        choices=[("", "---"), ("Fruit", [("1", "Apple"), ("2", "Pear")]), ("3", "Other")],
        required=False,
    )
    many = forms.MultipleChoiceField(choices=[(1, "One"), (2, "Two"), (3, "Three")])
    years = forms.TypedChoiceField(choices=[(2025, 2025), (12500, 12500)], coerce=int)
    days = forms.ChoiceField(choices=[(dt.date(2026, 1, 2).isoformat(), dt.date(2026, 1, 2))])
    nullable = forms.NullBooleanField()
    safe = forms.ChoiceField(
        choices=[(mark_safe("x&y"), mark_safe("<i>kept</i>"))],  # noqa: S308 -- a test value
        widget=forms.Select(attrs={"data-x": mark_safe("a&b"), "hidden": True, "off": False}),  # noqa: S308
    )


class OwnOption(forms.Select):
    option_template_name = "django/forms/widgets/input_option.html"


BOUND = {"plain": "a", "grouped": "2", "many": ["1", "3"], "years": "12500", "nullable": "true"}


@pytest.mark.parametrize("data", [None, BOUND], ids=["empty", "bound"])
@pytest.mark.parametrize("language", ["en", "fr"])
def test_every_select_is_the_html_of_djangos_templates(data, language):
    with override(language):
        ours = Options(data, renderer=FormRenderer())
        django = Options(data, renderer=DjangoTemplates())
        for name in Options.base_fields:
            assert str(ours[name]) == str(django[name]), name
        assert ours.as_div() == django.as_div()


def test_a_select_of_rows_is_the_html_of_djangos_templates(world):
    class Rows(forms.Form):
        organization = forms.ModelChoiceField(queryset=Organization.objects.order_by("pk"))

    data = {"organization": str(world.other_org.pk)}
    ours, django = Rows(data, renderer=FormRenderer()), Rows(data, renderer=DjangoTemplates())
    assert str(ours["organization"]) == str(django["organization"])
    assert f'<option value="{world.other_org.pk}" selected>' in str(ours["organization"])


def test_a_select_with_options_of_their_own_template_is_left_to_the_templates():
    field = forms.ChoiceField(choices=[("a", "A")], widget=OwnOption)
    assert select_html(field.widget.get_context("x", "a", None)["widget"]) is None
    html = field.widget.render("x", "a", renderer=FormRenderer())
    assert html == field.widget.render("x", "a", renderer=DjangoTemplates())
    assert "<input" in html


def test_the_project_renders_forms_with_it():
    assert isinstance(get_default_renderer(), FormRenderer)
