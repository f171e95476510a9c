"""A partner uploads a CSV of its own values for one period (see `measures.partner_imports`):
template → upload → preview of every row → save as drafts or submit.

Partner users only, for their own partner: anyone else gets 404 (the backbone has its
own import, `measures.views.imports`).
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from backbone.access import access, org_view
from backbone.forms import form_status
from backbone.links import org_url
from backbone.models import Role
from backbone.spreadsheets import csv_stream_response
from stakeholders import importing
from stakeholders.models import ImportKind
from stakeholders.selectors import import_batches, partner_of

from .. import partner_imports, selectors, services
from ..forms import ValuesImportForm
from ..imports import MAX_BYTES
from ..periods import frequency_of
from . import access_measured_initiative
from .imports import preview_context


def _own_partner(request):
    """The partner user's own partner, or 404 (staff, or a user not linked to one)."""
    partner = partner_of(request.membership) if request.membership.role == Role.PARTNER else None
    if partner is None:
        raise Http404
    return partner


def _owing(request, initiative, period):
    if frequency_of(period) is None:
        raise Http404
    return partner_imports.owed(initiative, _own_partner(request), period)


def _batch(request, initiative, batch_token):
    """The partner's own preview of this initiative, or 404."""
    partner = _own_partner(request)
    return access(
        request,
        import_batches(ImportKind.VALUES).filter(
            destination_id=initiative.pk, result__partner=partner.pk
        ),
        token=batch_token,
    )


def _to_preview(request, initiative, batch):
    return redirect(
        org_url(
            request.organization,
            "measures:entry_upload_preview",
            initiative_id=initiative.pk,
            batch_token=batch.token,
        )
    )


def _upload_url(request, initiative, period):
    url = org_url(request.organization, "measures:entry_upload", initiative_id=initiative.pk)
    return f"{url}?period={period}"


@org_view("measures.submit")
def entry_template(request, initiative_id):
    """The CSV template: a row per value the partner owes for the period."""
    initiative = access_measured_initiative(request, initiative_id)
    owing = _owing(request, initiative, request.GET.get("period", "").strip())
    return csv_stream_response(
        partner_imports.TEMPLATE_COLUMNS,
        partner_imports.template_rows(owing),
        f"values-{owing.period}.csv",
    )


def _owed_periods(request, initiative, today) -> list:
    """The periods of this initiative the partner still owes values for, soonest due first."""
    owed = selectors.owed_by(
        [_own_partner(request)], organization_id=request.organization.pk, today=today
    )
    periods: dict[str, object] = {}
    for item in owed:
        if item.indicator.initiative_id == initiative.pk:
            periods.setdefault(item.period.key, item)
    return list(periods.values())


@org_view("measures.submit")
def entry_upload(request, initiative_id):
    """Upload the filled template; its rows are kept as a preview to confirm. Without a
    period, the one period owed, or a choice among those owed."""
    initiative = access_measured_initiative(request, initiative_id, write=request.method == "POST")
    period = (request.GET.get("period") or request.POST.get("period") or "").strip()
    if not period and request.method == "GET":
        today = timezone.localdate()  # in the organization's zone (the middleware's)
        owed = _owed_periods(request, initiative, today)
        if len(owed) == 1:
            return redirect(_upload_url(request, initiative, owed[0].period.key))
        context = {"initiative": initiative, "owed": owed, "today": today, "choosing": True}
        return render(request, "measures/entry_upload.html", context)
    owing = _owing(request, initiative, period)
    form = ValuesImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            batch = partner_imports.partner_values_prepare(
                initiative=initiative,
                owing=owing,
                filename=upload.name,
                raw=upload.read(MAX_BYTES + 1),
                created_by=request.user,
            )
        except ValidationError as error:
            form.add_error("file", error)
        else:
            return _to_preview(request, initiative, batch)
    return render(
        request,
        "measures/entry_upload.html",
        {"initiative": initiative, "owing": owing, "form": form, "rows": None},
        status=form_status(form),
    )


@org_view("measures.submit")
def entry_upload_preview(request, initiative_id, batch_token):
    """Every row checked; the values are saved only when the partner confirms."""
    initiative = access_measured_initiative(request, initiative_id)
    batch = _batch(request, initiative, batch_token)
    owing = _owing(request, initiative, batch.result["period"])
    rows = partner_imports.batch_rows(batch, owing)
    return render(
        request,
        "measures/entry_upload.html",
        {
            "initiative": initiative,
            "owing": owing,
            "form": ValuesImportForm(),
            "batch": batch,
            **preview_context(rows),
        },
    )


@require_POST
@org_view("measures.submit")
def entry_upload_confirm(request, initiative_id, batch_token):
    """Save every row as a draft, or submit every row for approval."""
    initiative = access_measured_initiative(request, initiative_id, write=True)
    batch = _batch(request, initiative, batch_token)
    owing = _owing(request, initiative, batch.result["period"])
    if importing.batch_is_stale(batch):
        messages.error(request, _("Upload the file again: the preview has expired."))
        return redirect(_upload_url(request, initiative, owing.period))
    submit = request.POST.get("action") == "submit"
    try:
        count = partner_imports.partner_values_apply(
            batch=batch, owing=owing, user=request.user, submit=submit
        )
    except (importing.ImportBatchClosed, ValidationError) as error:
        text = str(error) if isinstance(error, importing.ImportBatchClosed) else error.messages
        messages.error(request, " ".join(text) if isinstance(text, list) else text)
        return _to_preview(request, initiative, batch)
    messages.success(
        request,
        services.data_entry_message(saved=count, problems=False, submit=submit, by_staff=False),
    )
    url = org_url(request.organization, "measures:entry", initiative_id=initiative.pk)
    return redirect(f"{url}?period={owing.period}")
