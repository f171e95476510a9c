"""components/form.html is written in Python (backbone.form_renderer.form_html): the HTML the
template's loops wrote, character for character, in both languages, escaped."""

import pytest
from django import forms
from django.core.exceptions import ValidationError
from django.template import Context, Template
from django.template.loader import render_to_string
from django.utils.translation import override

# components/form.html as it was, a loop of templates.
LOOPS = Template(
    "{% load backbone %}"
    "{% comment %}A comment.{% endcomment %}\n"
    "{% if form.non_field_errors %}\n"
    '  <div class="alert alert--error" role="alert">{% for error in form.non_field_errors %}'
    "<p>{{ error }}</p>{% endfor %}</div>\n"
    "{% endif %}\n"
    "{% for field in form.hidden_fields %}{{ field }}{% endfor %}\n"
    "{% for field in form.visible_fields %}{{ field|field_html }}{% endfor %}\n"
)


class Sample(forms.Form):
    name = forms.CharField(label="Name <b>&</b>", help_text="Say <it> & more")
    notes = forms.CharField(required=False, widget=forms.Textarea)
    tick = forms.BooleanField(required=False)
    kind = forms.ChoiceField(choices=[("a", "A & B"), ("b", "<b>")])
    next = forms.CharField(required=False, widget=forms.HiddenInput)
    back = forms.CharField(required=False, widget=forms.HiddenInput)

    def clean(self):
        if self.cleaned_data.get("name") == "clash":
            raise ValidationError(["<script>alert(1)</script> & no", "Two"])
        return self.cleaned_data


class NoHidden(forms.Form):
    only = forms.IntegerField()


@pytest.mark.parametrize("language", ["en", "fr"])
@pytest.mark.parametrize(
    "form",
    [
        lambda: Sample(),
        lambda: Sample({"name": "clash", "kind": "a", "next": "/o/<x>/&"}),
        lambda: Sample({"name": "", "kind": "zzz"}),
        lambda: NoHidden({"only": "not a number"}),
        lambda: NoHidden(),
    ],
    ids=["empty", "form-errors", "field-errors", "no-hidden-bound", "no-hidden"],
)
def test_the_form_is_what_the_template_loops_wrote(form, language):
    with override(language):
        bound = form()
        ours = render_to_string("components/form.html", {"form": bound})
        theirs = LOOPS.render(Context({"form": bound}))
    assert ours == theirs
    assert "<script>" not in ours
    if bound.is_bound and bound.non_field_errors():
        assert "<p>&lt;script&gt;alert(1)&lt;/script&gt; &amp; no</p><p>Two</p>" in ours
        assert 'value="/o/&lt;x&gt;/&amp;"' in ours
