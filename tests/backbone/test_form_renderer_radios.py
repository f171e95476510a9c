"""Every radio list (`forms.RadioSelect`) is written in Python by the project's form
renderer, character for character what Django's radio templates write: in both
languages, checked or not, grouped or not, with ids or without, escaped; and the
questionnaires that have the most radio groups (a review's verdict, a plan review, a
capacity self-assessment), field by field."""

from unittest import mock

import pytest
from django import forms
from django.forms.renderers import DjangoTemplates
from django.utils import translation

from backbone.form_renderer import FormRenderer
from measures.forms import VerdictForm
from plans.forms import ReviewQuestionnaireForm
from stakeholders.forms import CapacityForm

CHOICES = [("yes", "Yes & <script>alert(1)</script>"), ("no", "L'équipe"), ("", "Not sure")]


def both(widget: forms.RadioSelect, *args, templates=False, **kwargs) -> tuple[str, str]:
    """Our HTML (written without a template unless `templates`) and the templates'."""
    if templates:
        ours = widget.render(*args, renderer=FormRenderer(), **kwargs)
    else:
        with mock.patch.object(DjangoTemplates, "render", side_effect=AssertionError):
            ours = widget.render(*args, renderer=FormRenderer(), **kwargs)
    theirs = widget.render(*args, renderer=DjangoTemplates(), **kwargs)
    return ours, theirs


@pytest.mark.parametrize("language", ["en", "fr"])
@pytest.mark.parametrize("value", [None, "yes", "no", ""])
@pytest.mark.parametrize("attrs", [None, {"id": "id_answer", "class": "inline"}])
def test_radio_buttons_are_what_the_templates_write(language, value, attrs):
    with translation.override(language):
        ours, theirs = both(forms.RadioSelect(choices=CHOICES), "answer", value, attrs=attrs)
    assert ours == theirs
    assert 'type="radio"' in ours
    assert "&lt;script&gt;" in ours and "<script>" not in ours


def test_grouped_choices_are_written_the_same():
    widget = forms.RadioSelect(choices=[("Group & <co>", [("a", "A"), ("b", "B")]), ("c", "C")])
    ours, theirs = both(widget, "g", "b", attrs={"id": "g"})
    assert ours == theirs
    assert "Group &amp; &lt;co&gt;" in ours


def test_an_option_with_a_template_of_its_own_is_left_to_the_templates():
    class Own(forms.RadioSelect):
        option_template_name = "django/forms/widgets/select_option.html"

    ours, theirs = both(Own(choices=CHOICES), "own", "yes", templates=True)
    assert ours == theirs
    assert "<option" in ours


def radio_fields(form):
    return [
        name for name, field in form.fields.items() if isinstance(field.widget, forms.RadioSelect)
    ]


@pytest.mark.parametrize("language", ["en", "fr"])
def test_the_questionnaires_radios_are_what_the_templates_wrote(language):
    with translation.override(language):
        for make, count in (
            (
                lambda **kw: VerdictForm(
                    initial={"still_relevant": "yes", "decision": "keep"}, **kw
                ),
                4,
            ),
            (
                lambda **kw: ReviewQuestionnaireForm(initial={"rating_shared_vision": "4"}, **kw),
                None,
            ),
            (lambda **kw: CapacityForm(**kw), None),
        ):
            ours, theirs = make(), make(renderer=DjangoTemplates())
            names = radio_fields(ours)
            assert names and (count is None or len(names) == count)
            for name in names:
                assert str(ours[name]) == str(theirs[name]), name
