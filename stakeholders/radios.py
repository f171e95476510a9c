"""Radio buttons written in Python by the project's form renderer.

Django's radio templates and its checkbox ones are the same two includes
(`multiple_input.html` around `input_option.html` per option), and the project's renderer
writes the checkbox ones in Python (`backbone.form_renderer.checkbox_list_html`, which
takes each option's type from the widget). A radio select naming the checkbox templates
is therefore written in Python with the very HTML Django's radio templates write
(`tests/stakeholders/test_radios.py`): a questionnaire of six radio groups cost more
than the rest of its page."""

from django import forms


class RadioList(forms.RadioSelect):
    template_name = "django/forms/widgets/checkbox_select.html"
    option_template_name = "django/forms/widgets/checkbox_option.html"
