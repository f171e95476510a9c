from django import template

from backbone.permissions import can as can_do

register = template.Library()


@register.filter
def can(membership, action: str) -> bool:
    """`{% if membership|can:"initiatives.edit" %}`: ask the permissions module."""
    return can_do(membership, action)
