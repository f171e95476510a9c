"""Radio buttons written in Python: the review's four questions were its form's dearest
fields, each option going through four templates. Django's `radio.html` and
`checkbox_select.html` are the same template (`multiple_input.html`), and so are
`radio_option.html` and `checkbox_option.html` (`input_option.html`): the project's form
renderer's list of checkboxes (`backbone.form_renderer.checkbox_list_html`) writes the
same HTML for radio buttons, character for character (`tests/measures/test_radio_html.py`
compares them)."""

from django import forms
from django.utils.safestring import SafeString

from backbone.form_renderer import CHECKBOX_OPTION_TEMPLATE, checkbox_list_html

RADIO_OPTION_TEMPLATE = "django/forms/widgets/radio_option.html"


class RadioSelect(forms.RadioSelect):
    """Django's RadioSelect, written without its templates."""

    def render(self, name, value, attrs=None, renderer=None) -> SafeString:
        context = self.get_context(name, value, attrs)
        for _group, options, _index in context["widget"]["optgroups"]:
            for option in options:
                if option["template_name"] == RADIO_OPTION_TEMPLATE:
                    option["template_name"] = CHECKBOX_OPTION_TEMPLATE
        html = checkbox_list_html(context["widget"])
        if html is None:  # an option with a template of its own
            return super().render(name, value, attrs, renderer)
        return html
