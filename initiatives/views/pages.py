"""What the pages of an initiative share: reaching the initiative of the URL, the add form a
page was posted, a page with a form, and going back to
one of the initiative's tabs."""

from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render

from backbone.access import access, require
from backbone.forms import form_status
from backbone.links import org_url

from ..models import Initiative
from ..selectors import initiatives_readable_by, rows_visible_to


def access_row(request, source, pk: int, *, write: bool | None = None, through: str = "initiative"):
    """The row (a risk, an event, a team member…) with id `pk` among the rows of `source` this
    member sees, reached through `access`; `through` is its path to the initiative. A POST counts
    as a write unless `write` says otherwise."""
    if write is None:
        write = request.method == "POST"
    visible = rows_visible_to(request.membership, source, through=through)
    return access(request, visible, pk=pk, write=write)


def access_initiative(request, initiative_id: int, *, write: bool | None = None) -> Initiative:
    """The initiative of the URL, reached through `access`. A POST counts as a write (refused
    on an archived initiative) unless `write` says otherwise."""
    if write is None:
        write = request.method == "POST"
    visible = initiatives_readable_by(request.membership)
    return access(request, visible, pk=initiative_id, write=write)


def tab_url(request, tab: str, initiative_id: int) -> str:
    """The address of the initiative's page `initiatives:<tab>`."""
    return org_url(request.organization, f"initiatives:{tab}", initiative_id=initiative_id)


def to_tab(request, tab: str, initiative_id: int, anchor: str = "") -> HttpResponseRedirect:
    """A redirect to the initiative's page `initiatives:<tab>`, at `anchor` if one is given."""
    return redirect(tab_url(request, tab, initiative_id) + anchor)


def page_with_form(request, template: str, form, **context) -> HttpResponse:
    """A page with a form on it: answered 422 while the form has errors."""
    return render(request, template, {"form": form, **context}, status=form_status(form))


def posted_add_form(request, form_class, **kwargs):
    """The add form of an initiative's page as it was posted (posting needs the right to
    edit), or None when nothing was posted."""
    if request.method != "POST":
        return None
    require(request, "initiatives.edit")
    return form_class(request.POST, request.FILES, auto_id="add_%s", **kwargs)
