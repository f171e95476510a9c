"""The project's form renderer writes selects, inputs, textareas and the field around them
(components/field.html) in Python: the same HTML as the templates, character for character,
for every kind the forms use."""

import datetime as dt

import pytest
from django import forms
from django.forms.renderers import DjangoTemplates, get_default_renderer
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe
from django.utils.translation import override

from backbone.form_renderer import (
    INPUT_TEMPLATE,
    INPUT_TEMPLATES,
    TEXTAREA_TEMPLATE,
    FormRenderer,
    field_html,
    select_html,
)
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


class Inputs(forms.Form):
    text = forms.CharField(widget=forms.TextInput(attrs={"placeholder": "<name> & co"}))
    optional = forms.CharField(required=False, max_length=20)
    number = forms.DecimalField(widget=forms.NumberInput(attrs={"step": 0.01, "min": 0}))
    amount = forms.IntegerField(required=False)
    email = forms.EmailField(widget=forms.EmailInput(attrs={"autocomplete": "email"}))
    url = forms.URLField(required=False, assume_scheme="https")
    password = forms.CharField(widget=forms.PasswordInput(render_value=True))
    day = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}))
    moment = forms.DateTimeField(required=False)
    hour = forms.TimeField(required=False, widget=forms.TimeInput(attrs={"type": "time"}))
    hidden = forms.CharField(widget=forms.HiddenInput, initial='"quoted" <value>')
    tick = forms.BooleanField(required=False)
    file = forms.FileField(required=False)
    search = forms.CharField(
        required=False,
        widget=forms.TextInput(attrs={"type": "search", "data-x": mark_safe("a&b"), "off": False}),  # noqa: S308
    )
    notes = forms.CharField(widget=forms.Textarea(attrs={"rows": 4, "autofocus": True}))
    blank = forms.CharField(required=False, widget=forms.Textarea)


INPUT_DATA = {
    "text": "Tom & <Jerry>",
    "optional": "x" * 30,  # too long: shown again with its error
    "number": "12500.5",
    "amount": "not a number",
    "email": "a@b.example",
    "password": "s3cret'\"",
    "day": "2026-01-02",
    "moment": "2026-01-02 10:30",
    "hour": "10:30",
    "tick": "on",
    "search": "<script>",
    "notes": "line one\n<b>line two</b> & more",
    "blank": "",
}


@pytest.mark.parametrize("data", [None, INPUT_DATA], ids=["empty", "bound"])
@pytest.mark.parametrize("language", ["en", "fr"])
def test_every_input_and_textarea_is_the_html_of_djangos_templates(data, language):
    initial = {"number": 10176.5, "day": dt.date(2026, 12, 3), "notes": "<i>first</i>"}
    with override(language):
        ours = Inputs(data, initial=initial, renderer=FormRenderer())
        django = Inputs(data, initial=initial, renderer=DjangoTemplates())
        for name in Inputs.base_fields:
            assert str(ours[name]) == str(django[name]), name
        assert ours.as_div() == django.as_div()
    if data:
        assert "Tom &amp; &lt;Jerry&gt;" in str(ours["text"])
        assert 'data-x="a&b"' in str(ours["search"])  # safe text is kept as it is
        assert "&lt;b&gt;line two&lt;/b&gt; &amp; more</textarea>" in str(ours["notes"])


def test_the_templates_written_in_python_are_the_ones_it_was_written_from():
    """A Django upgrade that changes one of these templates fails here, not on a page."""
    renderer = DjangoTemplates()
    source = {
        name: renderer.get_template(name).template.source.strip()
        for name in [*INPUT_TEMPLATES, TEXTAREA_TEMPLATE, "django/forms/widgets/attrs.html"]
    }
    for name in INPUT_TEMPLATES - {INPUT_TEMPLATE}:
        assert source[name] == '{% include "django/forms/widgets/input.html" %}', name
    assert source[INPUT_TEMPLATE] == (
        '<input type="{{ widget.type }}" name="{{ widget.name }}"{% if widget.value != None %}'
        " value=\"{{ widget.value|stringformat:'s' }}\"{% endif %}"
        '{% include "django/forms/widgets/attrs.html" %}>'
    )
    assert source[TEXTAREA_TEMPLATE] == (
        '<textarea name="{{ widget.name }}"{% include "django/forms/widgets/attrs.html" %}>\n'
        "{% if widget.value %}{{ widget.value }}{% endif %}</textarea>"
    )
    for radio, checkbox in (
        ("radio.html", "checkbox_select.html"),
        ("radio_option.html", "checkbox_option.html"),
    ):  # a radio list is written as a checkbox list: the same templates
        theirs = renderer.get_template(f"django/forms/widgets/{radio}").template.source
        ours = renderer.get_template(f"django/forms/widgets/{checkbox}").template.source
        assert theirs == ours, radio
    assert source["django/forms/widgets/attrs.html"] == (
        "{% for name, value in widget.attrs.items %}{% if value is not False %} {{ name }}"
        "{% if value is not True %}=\"{{ value|stringformat:'s' }}\"{% endif %}{% endif %}"
        "{% endfor %}"
    )


class Shapes(forms.Form):
    """Every shape components/field.html takes: fieldsets, checkboxes, help, errors."""

    choose = forms.ChoiceField(
        choices=[("a", "A"), ("b", "B")], widget=forms.RadioSelect, help_text="Pick <one>"
    )
    maybe = forms.MultipleChoiceField(
        choices=[("a", "A")], widget=forms.CheckboxSelectMultiple, required=False
    )
    agree = forms.BooleanField(required=True, label="I <agree>")
    optional_tick = forms.BooleanField(required=False)
    note = forms.CharField(required=False, help_text=mark_safe("<b>kept</b>"))  # noqa: S308
    who = forms.CharField(label="Who & why")

    def clean(self):
        raise forms.ValidationError("Not <this> time")


@pytest.mark.parametrize("data", [None, {"who": "", "maybe": ["z"]}], ids=["empty", "bound"])
@pytest.mark.parametrize("language", ["en", "fr"])
@pytest.mark.parametrize("form_class", [Shapes, Inputs, Options])
def test_a_field_written_in_python_is_the_html_of_the_field_template(form_class, data, language):
    with override(language):
        form = form_class(data, renderer=FormRenderer(), auto_id="f_%s")
        for field in form:
            template = render_to_string("components/field.html", {"field": field})
            assert field_html(field) == template, field.name
        page = render_to_string("components/form.html", {"form": form})
    if data and form_class is Shapes:
        assert 'class="field field--error"' in page and "Not &lt;this&gt; time" in page
        assert "(facultatif)" in page if language == "fr" else "(optional)" in page
