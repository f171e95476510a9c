"""A checkbox list is written in Python (backbone.form_renderer, as a short registry's
picker shows it): the same HTML, character for character, as Django's checkbox templates
write."""

import re

from django import forms
from django.forms.renderers import DjangoTemplates

from backbone.form_renderer import FormRenderer, checkbox_list_html


class Choices(forms.Form):
    people = forms.MultipleChoiceField(
        widget=forms.CheckboxSelectMultiple(attrs={"class": "checks", "data-x": "a&b"}),
        choices=[
            (1, "Ana <Ruiz>"),
            (2, "Bo & Co"),
            ("three", '"Quoted"'),
            ("Group", [(4, "In a group"), (5, "Also")]),
        ],
        required=False,
    )


def test_the_checkbox_list_is_the_one_djangos_templates_write():
    for data in ({}, {"people": ["2", "4"]}):
        form = Choices(data or None, auto_id="id_%s")
        widget = form.fields["people"].widget
        bound = form["people"]
        context = widget.get_context("people", bound.value(), {"id": "id_people"})
        by_templates = DjangoTemplates().render(widget.template_name, context)
        assert checkbox_list_html(context["widget"]) == by_templates
        assert FormRenderer().render(widget.template_name, context) == by_templates
        assert "Ana &lt;Ruiz&gt;" in by_templates and "&quot;Quoted&quot;" in by_templates
        assert bool(re.search(r'value="2"[^>]* checked', by_templates)) == bool(data)
