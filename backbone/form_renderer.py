"""The project's form renderer (`FORM_RENDERER`): Django's own, except that the widgets every
form shows are written in Python: a `<select>`, an `<input>` of any type, a `<textarea>` and
a list of checkboxes or radio buttons.
Django's select template includes one template per option and another for its attributes (a
select of 200 partners cost more than the rest of the contacts list), and each input goes
through three templates (`text.html` → `input.html` → `attrs.html`): the five fields of an
empty form cost more than the page's header. The HTML is the one Django's templates write,
character for character (`tests/backbone/test_form_renderer.py` compares them)."""

from html import escape as _escape

from django.forms import models
from django.forms.renderers import DjangoTemplates
from django.utils.formats import localize
from django.utils.html import conditional_escape
from django.utils.safestring import SafeData, SafeString, mark_safe
from django.utils.timezone import template_localtime
from django.utils.translation import gettext

SELECT_TEMPLATE = "django/forms/widgets/select.html"
OPTION_TEMPLATE = "django/forms/widgets/select_option.html"
TEXTAREA_TEMPLATE = "django/forms/widgets/textarea.html"
CHECKBOX_SELECT_TEMPLATE = "django/forms/widgets/checkbox_select.html"
CHECKBOX_OPTION_TEMPLATE = "django/forms/widgets/checkbox_option.html"
# Django's radio templates are its checkbox ones: radio.html and checkbox_select.html are
# both `multiple_input.html`, radio_option.html and checkbox_option.html both
# `input_option.html` (the option's type comes from the widget).
RADIO_SELECT_TEMPLATE = "django/forms/widgets/radio.html"
OPTION_LIST_TEMPLATES = frozenset((CHECKBOX_SELECT_TEMPLATE, RADIO_SELECT_TEMPLATE))
LIST_OPTION_TEMPLATES = frozenset(
    (CHECKBOX_OPTION_TEMPLATE, "django/forms/widgets/radio_option.html")
)
INPUT_TEMPLATE = "django/forms/widgets/input.html"
# Each of these is exactly `{% include "django/forms/widgets/input.html" %}`.
INPUT_TEMPLATES = frozenset(
    f"django/forms/widgets/{name}.html"
    for name in (
        "input",
        "checkbox",
        "color",
        "date",
        "datetime",
        "email",
        "file",
        "hidden",
        "number",
        "password",
        "search",
        "tel",
        "text",
        "time",
        "url",
    )
)


def _formatted(value) -> str:
    """`{{ value|stringformat:'s' }}`: the value as text, escaped unless safe (not localized)."""
    if isinstance(value, SafeData):
        return value
    return _escape(str(value))


def _attrs(attrs: dict) -> str:
    """django/forms/widgets/attrs.html: ` name="value"`, ` name` for True, nothing for False."""
    return "".join(
        f" {_shown(name)}" if value is True else f' {_shown(name)}="{_formatted(value)}"'
        for name, value in attrs.items()
        if value is not False
    )


def _shown(value) -> str:
    """`{{ value }}`: localized as a template shows it, escaped unless safe. Plain text (most
    values) is escaped at once: Django's `escape` is the standard library's, behind layers
    that cost more than escaping (a string is neither localized nor a time)."""
    if type(value) is str:
        return _escape(value)
    return conditional_escape(localize(template_localtime(value)))


def _option(option: dict) -> str:
    value, attrs = option["value"], option["attrs"]
    # Plain text at once, as in _shown (a select of time zones has 400 options).
    shown = _escape(value) if type(value) is str else conditional_escape(value)
    return (
        f'<option value="{shown}"{_attrs(attrs) if attrs else ""}>'
        f"{_shown(option['label'])}</option>"
    )


def select_html(widget: dict) -> SafeString | None:
    """django/forms/widgets/select.html for this widget context, or None when one of its
    options has a template of its own (left to the templates)."""
    parts = [f'<select name="{_shown(widget["name"])}"{_attrs(widget["attrs"])}>']
    for group_name, group_choices, _index in widget["optgroups"]:
        if group_name:
            parts.append(f'\n  <optgroup label="{_shown(group_name)}">')
        for option in group_choices:
            if option["template_name"] != OPTION_TEMPLATE:
                return None
            parts.append(f"\n  {_option(option)}\n")
        if group_name:
            parts.append("\n  </optgroup>")
    parts.append("\n</select>")  # the renderer strips what the template ends with
    return mark_safe("".join(parts))  # noqa: S308 -- every value above is escaped


def input_html(widget: dict) -> SafeString:
    """django/forms/widgets/input.html (and every input template that only includes it)."""
    value = widget["value"]
    shown = "" if value is None else f' value="{_formatted(value)}"'
    return mark_safe(  # noqa: S308 -- every value is escaped
        f'<input type="{_shown(widget["type"])}" name="{_shown(widget["name"])}"'
        f"{shown}{_attrs(widget['attrs'])}>"
    )


def textarea_html(widget: dict) -> SafeString:
    """django/forms/widgets/textarea.html."""
    value = widget["value"]
    return mark_safe(  # noqa: S308 -- every value is escaped
        f'<textarea name="{_shown(widget["name"])}"{_attrs(widget["attrs"])}>\n'
        f"{_shown(value) if value else ''}</textarea>"
    )


def _checkbox(option: dict) -> str:
    """checkbox_option.html (input_option.html with input.html inside)."""
    value = option["value"]
    html = (
        f'<input type="{_shown(option["type"])}" name="{_shown(option["name"])}"'
        + ("" if value is None else f' value="{_formatted(value)}"')
        + f"{_attrs(option['attrs'])}>\n"
    )
    if option["wrap_label"]:
        option_id = option["attrs"].get("id")
        label_for = f' for="{_shown(option_id)}"' if option_id else ""
        html = f"<label{label_for}>{html} {_shown(option['label'])}</label>"
    return html + "\n\n"  # the ends of input_option.html and checkbox_option.html


def checkbox_list_html(widget: dict) -> SafeString | None:
    """checkbox_select.html or radio.html (multiple_input.html) for this widget context, or
    None when one
    of its options has a template of its own (left to the templates). Four templates per
    option: the 200 partners an agreement's parties may be cost more than the rest of its
    form."""
    widget_id, css = widget["attrs"].get("id"), widget["attrs"].get("class")
    parts = [
        "<div"
        + (f' id="{_shown(widget_id)}"' if widget_id else "")
        + (f' class="{_shown(css)}"' if css else "")
        + ">"
    ]
    for group, options, _index in widget["optgroups"]:
        if group:
            parts.append(f"\n  <div><label>{_shown(group)}</label>")
        for option in options:
            if option["template_name"] not in LIST_OPTION_TEMPLATES:
                return None
            parts.append(f"<div>\n    {_checkbox(option)}</div>")
        if group:
            parts.append("\n  </div>")
    parts.append("\n</div>")  # the renderer strips what the template ends with
    return mark_safe("".join(parts))  # noqa: S308 -- every value above is escaped


class FormRenderer(DjangoTemplates):
    def render(self, template_name, context, request=None):
        if template_name in INPUT_TEMPLATES:
            return input_html(context["widget"])
        if template_name == TEXTAREA_TEMPLATE:
            return textarea_html(context["widget"])
        if template_name == SELECT_TEMPLATE or template_name in OPTION_LIST_TEMPLATES:
            write = select_html if template_name == SELECT_TEMPLATE else checkbox_list_html
            html = write(context["widget"])
            if html is not None:
                return html
        return super().render(template_name, context, request)


def field_html(field) -> SafeString:
    """templates/components/field.html for this bound field, the same HTML character for
    character: a form's fields, written by the template, cost more than the page around them.
    `components/form.html` uses it; the template stays for the pages that include it."""
    widget = field.field.widget
    checkbox = getattr(widget, "input_type", None) == "checkbox"
    errors = field.errors
    label = _shown(field.label)
    optional = f' <span class="optional">({_shown(gettext("optional"))})</span>'
    parts = [
        f'\n<div class="field{" field--error" if errors else ""}'
        f'{" field--checkbox" if checkbox else ""}">\n  '
    ]
    if field.use_fieldset:
        parts.append(f"<fieldset><legend>{label}{'' if field.field.required else optional}")
        parts.append(f"</legend>\n  {_shown(str(field))}</fieldset>")
    else:
        shown_optional = optional if not field.field.required and not checkbox else ""
        parts.append(f'<label for="{_shown(field.id_for_label)}">{label}{shown_optional}</label>')
        parts.append(f"\n  {_shown(str(field))}")
    parts.append("\n  ")
    if field.help_text:
        parts.append(
            f'<div class="help" id="{_shown(field.auto_id)}_helptext">'
            f"{_shown(field.help_text)}</div>"
        )
    parts.append("\n  ")
    parts.extend(
        f'<p class="error" id="{_shown(field.auto_id)}_error">{_shown(error)}</p>'
        for error in errors
    )
    parts.append("\n</div>\n")
    return mark_safe("".join(parts))  # noqa: S308 -- every value above is escaped


class ModelChoiceIterator(models.ModelChoiceIterator):
    """Django's, reading the queryset plainly (installed on every ModelChoiceField by
    BackboneConfig.ready). Django's reads it with `iterator()`, which on PostgreSQL opens a
    server-side cursor (DECLARE, FETCH, CLOSE: three round trips for one select) and ignores
    a queryset already read; the choices of one form's select are few, kept in the form's
    own copy of the queryset."""

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        for obj in self.queryset:
            yield self.choice(obj)


def form_html(form) -> SafeString:
    """templates/components/form.html after its comment, the same HTML character for
    character: the form's own errors, its hidden fields, then each field (`field_html`)."""
    parts = []
    errors = form.non_field_errors()
    if errors:
        shown = "".join(f"<p>{_shown(error)}</p>" for error in errors)
        parts.append(f'\n  <div class="alert alert--error" role="alert">{shown}</div>\n')
    parts.append("\n")
    parts.extend(_shown(field) for field in form.hidden_fields())
    parts.append("\n")
    parts.extend(field_html(field) for field in form.visible_fields())
    return mark_safe("".join(parts))  # noqa: S308 -- every value above is escaped
