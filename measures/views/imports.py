"""Importing values from a CSV file: upload → preview of every row → confirm or cancel.

The preview is a stored ImportBatch (kind VALUES) reached by its token, as the
registry's imports are (`stakeholders.views`).
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from backbone.access import access, org_view
from backbone.forms import form_status
from backbone.links import org_url
from stakeholders import importing
from stakeholders.models import ImportKind
from stakeholders.selectors import import_batches

from .. import imports
from ..forms import ValuesImportForm
from . import access_measured_initiative


def _initiative_and_batch(request, initiative_id, batch_token, *, write=False):
    initiative = access_measured_initiative(request, initiative_id, write=write)
    batch = access(
        request,
        import_batches(ImportKind.VALUES).filter(destination_id=initiative.pk),
        token=batch_token,
    )
    return initiative, batch


def preview_context(rows: list) -> dict:
    """What an import preview page shows of its checked `rows` (see `importing.preview_rows`)."""
    shown, hidden = importing.preview_rows(rows, has_error=lambda row: row.errors)
    return {
        "rows": shown,
        "hidden": hidden,
        "total": len(rows),
        "problems": sum(1 for row in rows if row.errors),
    }


@org_view("measures.approve")
def import_values(request, initiative_id):
    """Upload a CSV; its rows are checked and kept as a preview to confirm."""
    initiative = access_measured_initiative(request, initiative_id, write=request.method == "POST")
    form = ValuesImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            batch = imports.values_import_prepare(
                initiative=initiative,
                filename=upload.name,
                raw=upload.read(imports.MAX_BYTES + 1),
                created_by=request.user,
            )
        except ValidationError as error:
            form.add_error("file", error)
        else:
            return redirect(
                org_url(
                    request.organization,
                    "measures:import_preview",
                    initiative_id=initiative.pk,
                    batch_token=batch.token,
                )
            )
    return render(
        request,
        "measures/import.html",
        {"initiative": initiative, "form": form, "rows": None, "problems": 0},
        status=form_status(form),
    )


@org_view("measures.approve")
def import_preview(request, initiative_id, batch_token):
    """Every row checked; the values are saved only when the preview is confirmed."""
    initiative, batch = _initiative_and_batch(request, initiative_id, batch_token)
    rows = imports.values_import_rows(batch, initiative=initiative)
    return render(
        request,
        "measures/import.html",
        {
            "initiative": initiative,
            "form": ValuesImportForm(),
            "batch": batch,
            **preview_context(rows),
        },
    )


@require_POST
@org_view("measures.approve")
def import_confirm(request, initiative_id, batch_token):
    initiative, batch = _initiative_and_batch(request, initiative_id, batch_token, write=True)
    start = org_url(request.organization, "measures:import", initiative_id=initiative.pk)
    if importing.batch_is_stale(batch):
        messages.error(request, _("Upload the file again: the preview has expired."))
        return redirect(start)
    preview = org_url(
        request.organization,
        "measures:import_preview",
        initiative_id=initiative.pk,
        batch_token=batch.token,
    )
    try:
        count = imports.values_import_apply(
            batch=batch, initiative=initiative, applied_by=request.user
        )
    except importing.ImportBatchClosed as exc:
        messages.error(request, str(exc))
        return redirect(preview)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(preview)
    messages.success(
        request,
        _("%(count)s value(s) imported; they wait in the approval queue.") % {"count": count},
    )
    return redirect(org_url(request.organization, "measures:approvals"))


@require_POST
@org_view("measures.approve")
def import_cancel(request, initiative_id, batch_token):
    initiative, batch = _initiative_and_batch(request, initiative_id, batch_token, write=True)
    try:
        importing.import_cancel(batch=batch)
    except importing.ImportBatchClosed as exc:
        messages.error(request, str(exc))
    else:
        messages.info(request, _("Import cancelled. Nothing was saved."))
    return redirect(org_url(request.organization, "measures:import", initiative_id=initiative.pk))
