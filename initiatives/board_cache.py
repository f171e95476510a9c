"""An initiative's reflection board (on its page) kept as HTML a minute per reader: one
cache read instead of its query and the drawing of every note, vote button and the
add-a-note form.

The board shows whether the reader voted for each note, so an entry is the reader's own;
the key also holds their role, the language and the organization's zone (the notes'
dates). Every save or delete of a note, a vote, a phase change or the initiative itself
(`SHOWN`; the notes closed at a phase change are closed with `update()` beside the
transition's save) gives the organization a new stamp. The forms' CSRF token is kept as
`STAND_IN` and the reader's own token put in its place on each request.
"""

from collections.abc import Callable

from django.middleware.csrf import get_token
from django.utils import timezone, translation
from django.utils.safestring import SafeString, mark_safe

from backbone.models import Organization
from backbone.stamped_cache import OrganizationStamp

from .models import Initiative, PhaseTransition, ReflectionNote, ReflectionVote

TIMEOUT = 60
SHOWN = (Organization, Initiative, PhaseTransition, ReflectionNote, ReflectionVote)

BOARDS = OrganizationStamp("initiative-boards", timeout=TIMEOUT)
BOARDS.listen(SHOWN)

# Never a token: Django's are 32 or 64 letters and digits.
STAND_IN = "__board-csrf-token__"


def kept_board(request, initiative: Initiative, make: Callable[[str], str]) -> SafeString:
    """The board's HTML for this reader: kept, else `make(csrf_token)` (given `STAND_IN`)
    and kept; the reader's own CSRF token in place of the stand-in."""
    membership = request.membership
    key = ":".join(
        str(part)
        for part in (
            initiative.pk,
            membership.user_id,
            membership.role,
            translation.get_language(),
            timezone.get_current_timezone_name(),
        )
    )
    html = BOARDS.get_or_make(initiative.organization_id, key, lambda: make(STAND_IN))
    return mark_safe(html.replace(STAND_IN, get_token(request)))  # noqa: S308 -- our template's output
