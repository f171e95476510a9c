"""What a page says after it asked a service to write: done, or why not."""

from collections.abc import Callable

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest


def write_and_say(request: HttpRequest, write: Callable[[], object], done: str) -> bool:
    """Run `write` (a service call); tell the member `done`, or the service's reasons when
    it refuses (a ValidationError). True when the write was made."""
    try:
        write()
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return False
    messages.success(request, done)
    return True
