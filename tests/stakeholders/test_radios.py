"""A `RadioList` is written in Python by the project's form renderer, character for
character what Django's radio templates write, in both languages, escaped."""

import copy

import pytest
from django import forms
from django.utils import translation

from plans.forms import ReviewQuestionnaireForm
from stakeholders.forms import CapacityForm
from stakeholders.radios import RadioList

CHOICES = [("1", "1 <poor> & low"), ("2", "L'équipe"), ("unknown", "Don't know")]


class Chosen(forms.Form):
    written = forms.ChoiceField(choices=CHOICES, widget=RadioList)
    grouped = forms.ChoiceField(choices=[("Group <g>", CHOICES)], widget=RadioList)
    plain_grouped = forms.ChoiceField(choices=[("Group <g>", CHOICES)], widget=forms.RadioSelect)


def django_html(bound) -> str:
    """The field as Django's radio templates write it (the renderer leaves them to the
    templates)."""
    widget = copy.copy(bound.field.widget)
    widget.template_name = forms.RadioSelect.template_name
    widget.option_template_name = forms.RadioSelect.option_template_name
    return bound.as_widget(widget=widget)


@pytest.mark.parametrize("language", ["en", "fr"])
@pytest.mark.parametrize("data", [None, {"written": "2", "grouped": "unknown"}])
def test_a_radio_list_is_what_the_radio_templates_wrote(language, data):
    with translation.override(language):
        form = Chosen(data)
        assert str(form["written"]) == django_html(form["written"])
        assert str(form["grouped"]) == django_html(form["grouped"])
        assert "1 &lt;poor&gt; &amp; low" in str(form["written"])
        assert 'type="radio"' in str(form["written"])
    if data:
        assert 'value="2" required id="id_written_1" checked' in str(form["written"])


@pytest.mark.parametrize("language", ["en", "fr"])
def test_the_questionnaires_radios_are_what_the_radio_templates_wrote(language):
    with translation.override(language):
        form = ReviewQuestionnaireForm(initial={"rating_shared_vision": "4"})
        ratings = [name for name in form.fields if name.startswith("rating_")]
        assert ratings
        for name in ratings:
            assert str(form[name]) == django_html(form[name])
        capacity = CapacityForm()
        radios = [n for n, f in capacity.fields.items() if isinstance(f.widget, RadioList)]
        assert radios
        for name in radios:
            assert str(capacity[name]) == django_html(capacity[name])
