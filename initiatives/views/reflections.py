"""The reflection board of the current phase, on the initiative's page: add a note, vote."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from backbone.access import org_view
from backbone.forms import INVALID_FORM, form_write
from backbone.saved import announce_saved

from .. import services
from ..form_cache import kept_form
from ..forms import ReflectionNoteForm
from ..models import Initiative, ReflectionNote
from ..selectors import reflection_board
from .pages import access_initiative, access_row, to_tab


def board_context(request, initiative: Initiative, form=None) -> dict:
    return {
        "initiative": initiative,
        "board": reflection_board(initiative, user=request.user),
        # A refused form shows what was typed; the empty one is kept written (form_cache).
        "reflection_form": form
        or kept_form(initiative.organization_id, "ReflectionNoteForm", ReflectionNoteForm),
    }


def _board(request, initiative: Initiative, message: str = "", form=None, status: int = 200):
    response = render(
        request,
        "initiatives/detail.html#reflection-board",
        board_context(request, initiative, form),
        status=status,
    )
    return announce_saved(response, request, message) if message else response


@org_view("initiatives.reflect")
@require_POST
def reflection_note_add(request, initiative_id: int):
    initiative = access_initiative(request, initiative_id, write=True)
    form = ReflectionNoteForm(request.POST)
    note = form_write(form, services.reflection_note_add, initiative=initiative, by=request.user)
    if note is None:
        if request.htmx:
            return _board(request, initiative, form=form, status=INVALID_FORM)
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
        return to_tab(request, "detail", initiative.pk, anchor="#reflections")
    message = _("Added your note to “%(question)s”.") % {"question": note.get_question_display()}
    if request.htmx:
        return _board(request, initiative, message)
    messages.success(request, message)
    return to_tab(request, "detail", initiative.pk, anchor="#reflections")


@org_view("initiatives.reflect")
@require_POST
def reflection_vote(request, reflection_note_id: int):
    note = access_row(request, ReflectionNote, reflection_note_id)
    try:
        voted = services.reflection_vote_toggle(note=note, by=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return to_tab(request, "detail", note.initiative_id, anchor="#reflections")
    message = (
        _("Voted for “%(note)s”.") if voted else _("Took back your vote for “%(note)s”.")
    ) % {"note": note.text[:60]}
    if request.htmx:
        return _board(request, note.initiative, message)
    messages.success(request, message)
    return to_tab(request, "detail", note.initiative_id, anchor="#reflections")
