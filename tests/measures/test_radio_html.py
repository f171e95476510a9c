"""Radio buttons written in Python (measures.radio_html) are the HTML Django's templates
write, character for character: in English and in French, checked or not, with ids or
without, with a label that needs escaping, and the review's form field by field."""

import pytest
from django import forms
from django.forms.renderers import DjangoTemplates
from django.utils import translation

from measures.forms import VerdictForm
from measures.radio_html import RadioSelect

CHOICES = [("yes", "Yes & <script>alert(1)</script>"), ("no", "No"), ("", "Not sure")]


def by_templates(widget: forms.RadioSelect, *args, **kwargs) -> str:
    plain = forms.RadioSelect(attrs=widget.attrs, choices=widget.choices)
    return plain.render(*args, renderer=DjangoTemplates(), **kwargs)


@pytest.mark.parametrize("language", ["en", "fr"])
@pytest.mark.parametrize("value", [None, "yes", "no", ""])
@pytest.mark.parametrize("attrs", [None, {"id": "id_answer", "class": "inline"}])
def test_radio_buttons_are_what_the_templates_write(language, value, attrs):
    widget = RadioSelect(choices=CHOICES)
    with translation.override(language):
        ours = widget.render("answer", value, attrs=attrs)
        theirs = by_templates(widget, "answer", value, attrs=attrs)
    assert ours == theirs
    assert "&lt;script&gt;" in ours and "<script>" not in ours


def test_grouped_choices_are_written_the_same():
    widget = RadioSelect(choices=[("Group & co", [("a", "A"), ("b", "B")]), ("c", "C")])
    assert widget.render("g", "b", attrs={"id": "g"}) == by_templates(
        widget, "g", "b", attrs={"id": "g"}
    )


@pytest.mark.parametrize("language", ["en", "fr"])
def test_the_review_form_is_written_as_before(language):
    initial = {"still_relevant": "yes", "decision": "keep", "new_name": "A & <b>"}
    with translation.override(language):
        form = VerdictForm(initial=initial)
        radios = [n for n, f in form.fields.items() if isinstance(f.widget, RadioSelect)]
        assert len(radios) == 4
        plain = VerdictForm(initial=initial, renderer=DjangoTemplates())
        for name in radios:
            field = plain.fields[name]
            field.widget = forms.RadioSelect(choices=field.choices)
            field.widget.is_required = field.required
            assert str(form[name]) == str(plain[name]), name
