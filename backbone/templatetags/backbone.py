from decimal import Decimal, InvalidOperation

from django import template
from django.utils.formats import number_format
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from backbone import shell
from backbone.form_renderer import field_html as form_field_html
from backbone.form_renderer import form_html as form_form_html
from backbone.forms import display_number
from backbone.permissions import can as can_do

register = template.Library()


@register.filter
def can(membership, action: str) -> bool:
    """`{% if membership|can:"initiatives.edit" %}`: ask the permissions module."""
    return can_do(membership, action)


@register.filter
def with_id(row_url, pk) -> str:
    """`{{ contact_url|with_id:contact.pk }}`: the address of this row (`links.row_url`)."""
    return row_url.of(pk)


@register.filter
def number(value) -> str:
    """`{{ value|number }}`: a number in the organization's locale, grouped, without the
    padding zeros of a decimal column ("10,176", never "10176.0000")."""
    if value is None or value == "":
        return ""
    try:
        return display_number(Decimal(str(value)))
    except (InvalidOperation, ValueError):
        return str(value)


@register.filter
def money(value, places=None) -> str:
    """`{{ amount|money }}`: dollars as the organization's language writes them:
    "$12,500" in English, "12 500 $" in French (the sign after, a no-break space);
    cents only when there are some, or always with `{{ amount|money:2 }}`."""
    if value is None or value == "":
        return ""
    try:
        amount = Decimal(str(value))
    except (InvalidOperation, ValueError):
        return str(value)
    if places is None:
        places = 0 if amount == amount.to_integral_value() else 2
    shown = number_format(amount, decimal_pos=int(places), force_grouping=True)
    if get_language() == "fr":
        return f"{shown}\u00a0$"
    return f"-${shown[1:]}" if shown.startswith("-") else f"${shown}"


@register.filter
def form_html(form) -> str:
    """`{{ form|form_html }}`: components/form.html written in Python (backbone.form_renderer)."""
    return form_form_html(form)


@register.filter
def field_html(field) -> str:
    """`{{ field|field_html }}`: components/field.html written in Python (backbone.form_renderer)."""
    return form_field_html(field)


@register.simple_tag(takes_context=True)
def site_header(context) -> str:
    """`{% site_header %}`: the page header, kept per process (backbone.shell)."""
    return shell.site_header(context)


@register.simple_tag(takes_context=True)
def site_assets(context) -> str:
    """`{% site_assets %}`: the stylesheet and scripts of every page (backbone.shell)."""
    return shell.site_assets(context)


@register.simple_tag(takes_context=True)
def site_footer(context) -> str:
    """`{% site_footer %}`: the footer of every page (backbone.shell)."""
    return shell.site_footer(context)


@register.filter
def role_options(role: str, choices) -> str:
    """`{{ member.role|role_options:role_choices }}`: the role select's options, `role` selected,
    as `{% for value, label in choices %}<option value="{{ value }}"{% if role == value %}
    selected{% endif %}>{{ label }}</option>{% endfor %}` writes them, at a fraction of the
    cost on each row of the members page."""
    return mark_safe(  # noqa: S308 -- every value is escaped
        "".join(
            f'<option value="{conditional_escape(value)}"{" selected" if role == value else ""}>'
            f"{conditional_escape(label)}</option>"
            for value, label in choices
        )
    )


@register.simple_tag(takes_context=True)
def site_messages(context) -> str:
    """`{% site_messages %}`: the messages waiting, if any (backbone.shell)."""
    return shell.site_messages(context)
