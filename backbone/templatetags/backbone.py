from decimal import Decimal, InvalidOperation

from django import template

from backbone.forms import display_number
from backbone.permissions import can as can_do

register = template.Library()


@register.filter
def can(membership, action: str) -> bool:
    """`{% if membership|can:"initiatives.edit" %}`: ask the permissions module."""
    return can_do(membership, action)


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
