"""Reading an object id that came from outside (a query string, a form field, a bulk
action's checked boxes): the one place that says what an id looks like.

An id is a whole number from 1 to the largest a `BigAutoField` holds. Anything else
(`abc`, `1.5`, `-1`, `99999999999999999999`) is not an id: `id_parse` says None,
`id_require` answers 400, `ids_parse` drops it, and `IdMultipleChoiceField` makes it a
form error — the same on PostgreSQL and SQLite, before any query is built. (Django's
own multi-select sends `99999999999999999999` on to SQLite, which overflows; its
`ModelChoiceField` already copes.) NUL bytes never get this far: see
`backbone.middleware.RefuseNulBytesMiddleware`.
"""

from django import forms
from django.core.exceptions import BadRequest

MAX_ID = 2**63 - 1


def whole_number(value: object, *, minimum: int = 0, maximum: int = MAX_ID) -> int | None:
    """`value` as a whole number from `minimum` to `maximum` written in ASCII digits
    (a version, a count), or None. `str.isdigit` alone would let `²` through to `int()`."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        number = value
    elif isinstance(value, str) and value.strip().isascii() and value.strip().isdigit():
        number = int(value.strip())
    else:
        return None
    return number if minimum <= number <= maximum else None


def id_parse(value: object) -> int | None:
    """`value` as an id, or None when it is not one."""
    return whole_number(value, minimum=1)


def id_require(value: object) -> int:
    """`value` as an id, or a 400 (BadRequest) for the client that sent something else."""
    number = id_parse(value)
    if number is None:
        raise BadRequest("Not an id.")
    return number


def ids_parse(values) -> list[int]:
    """The ids among `values` (e.g. `request.POST.getlist(...)`), others left out."""
    return [number for number in map(id_parse, values) if number is not None]


class IdMultipleChoiceField(forms.ModelMultipleChoiceField):
    """A multi-select of objects whose values must be ids before any query is made."""

    def _check_values(self, value):
        for pk in value:
            if id_parse(pk) is None:
                raise forms.ValidationError(
                    self.error_messages["invalid_pk_value"],
                    code="invalid_pk_value",
                    params={"pk": pk},
                )
        return super()._check_values(value)
