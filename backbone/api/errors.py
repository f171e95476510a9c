"""The one JSON shape of every API error:

    {"error": {"status": 400, "code": "invalid", "message": "…", "fields": {"value": ["…"]}}}

`message` is a sentence for a person (in the organization's language), `code` a word for a
program, `fields` the messages per field of the request (empty when none). A service's
`ValidationError` is a 400, or a 409 when it refuses a stale write (code "stale": someone
changed the row since the client read it; read it again).
"""

from django.core.exceptions import BadRequest
from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions, status
from rest_framework.views import exception_handler as drf_exception_handler

from ..stale import STALE

NON_FIELD = "detail"


class Refused(exceptions.ValidationError):
    """A service's refusal (400), with its code when it gives one (e.g. "needs_confirmation":
    a value far from the previous one, to send again with a comment and `confirmed`)."""

    def __init__(self, detail, code: str | None):
        super().__init__(detail)
        self.service_code = code


class Conflict(exceptions.APIException):
    status_code = status.HTTP_409_CONFLICT
    default_detail = _("Someone changed this since you read it; read it again.")
    default_code = STALE


def service_error(error: DjangoValidationError) -> exceptions.APIException:
    """A service's refusal as the API's error (400, or 409 for a stale write)."""
    if hasattr(error, "error_dict"):
        codes = {getattr(e, "code", None) for errors in error.error_dict.values() for e in errors}
    else:
        codes = {getattr(e, "code", None) for e in error.error_list}
    if STALE in codes:
        return Conflict(" ".join(error.messages))
    code = codes.pop() if len(codes) == 1 else None
    if hasattr(error, "error_dict"):
        detail = {
            (NON_FIELD if field == "__all__" else field): messages
            for field, messages in error.message_dict.items()
        }
        return Refused(detail, code)
    return Refused({NON_FIELD: error.messages}, code)


def _messages(data) -> list[str]:
    if isinstance(data, dict):
        return [m for value in data.values() for m in _messages(value)]
    if isinstance(data, list):
        return [m for value in data for m in _messages(value)]
    return [str(data)]


def exception_handler(exc, context):
    if isinstance(exc, DjangoValidationError):
        exc = service_error(exc)
    elif isinstance(exc, BadRequest):
        exc = exceptions.ParseError(str(exc) or None)
    response = drf_exception_handler(exc, context)
    if response is None:
        return None  # a bug: Django's 500 page and the error log
    data = response.data
    fields = {}
    if isinstance(exc, exceptions.ValidationError) and isinstance(data, dict):
        fields = {key: _messages(value) for key, value in data.items() if key != NON_FIELD}
        general = _messages(data.get(NON_FIELD, []))
        message = general[0] if general else str(_("Some fields need your attention."))
        code = getattr(exc, "service_code", None) or "invalid"
    else:
        message = " ".join(_messages(data.get("detail", data) if isinstance(data, dict) else data))
        codes = exc.get_codes() if isinstance(exc, exceptions.APIException) else None
        code = codes if isinstance(codes, str) else "invalid"
    response.data = {
        "error": {
            "status": response.status_code,
            "code": code,
            "message": message,
            "fields": fields,
        }
    }
    return response
