from datetime import datetime, time
from functools import partial

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import ProtectedError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from backbone.access import access, org_view
from backbone.deletion import confirm_page, deletion_consequences
from backbone.forms import INVALID_FORM, add_service_errors, form_page, form_status
from backbone.links import org_url, row_url, site_url
from backbone.models import Membership, Role
from backbone.permissions import can
from backbone.saved import announce_saved
from backbone.spreadsheets import csv_stream_response, xlsx_response

from . import csv_files, exporting, importing, selectors, services
from .forms import (
    ConsentForm,
    ContactFilterForm,
    ContactForm,
    MergeForm,
    NoteForm,
    PartnerFilterForm,
    PartnerForm,
    PartnerInviteForm,
    PartnerUserForm,
    RegistryImportForm,
)
from .list_cache import cached_contact_page, partner_people
from .list_rows import contact_rows
from .models import (
    REGISTRY_IMPORT_KINDS,
    ConsentSource,
    ImportKind,
    InteractionKind,
    Tag,
)

PAGE_SIZE = 50


def _contact_filters(request) -> tuple[ContactFilterForm, selectors.ContactFilters]:
    form = ContactFilterForm(
        request.GET,
        # The filter shows and takes partners by name and id only.
        partners=selectors.partners_visible_to(request.membership).only("name"),
        tags=selectors.tags_of(request.organization),
    )
    form.is_valid()  # An invalid filter (a stale tag id) is dropped; the others still apply.
    data = form.cleaned_data
    return form, selectors.ContactFilters(
        q=data.get("q", "").strip(),
        partner=data["partner"].pk if data.get("partner") else None,
        sector=data.get("sector", ""),
        lived_experience={"yes": True, "no": False}.get(data.get("lived_experience", "")),
        tag=data["tag"].pk if data.get("tag") else None,
        consent=data.get("consent", ""),
    )


def _contact(request, contact_id: int):
    """The contact a page is about, as this member may see it (else 404)."""
    return access(request, selectors.contacts_visible_to(request.membership), pk=contact_id)


def _partner(request, partner_id: int):
    """The partner a page is about, as this member may see it (else 404)."""
    return access(request, selectors.partners_visible_to(request.membership), pk=partner_id)


def _contact_url(request, contact) -> str:
    return org_url(request.organization, "stakeholders:contact_detail", contact_id=contact.pk)


def _partner_url(request, partner) -> str:
    return org_url(request.organization, "stakeholders:partner_detail", partner_id=partner.pk)


def _record_form_page(request, form, kind: str, save, record=None):
    """The add page (no `record`) or edit page of a registry `kind`, "contact" or "partner":
    `save(**cleaned_data)` writes, then the person lands on the record's page."""
    detail_url = _contact_url if kind == "contact" else _partner_url
    return form_page(
        request,
        form,
        f"stakeholders/{kind}_form.html",
        {kind: record} if record else None,
        save=lambda: save(**form.cleaned_data),
        done=lambda saved: (
            _("Saved.") if record else _("%(name)s is in the registry.") % {"name": saved},
            detail_url(request, record or saved),
        ),
    )


def _query_without_page(request) -> str:
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


# Contacts --------------------------------------------------------------------


@org_view("stakeholders.view")
def index(request):
    """The contacts list: search and filters, updated in place by HTMX, paginated."""
    form, filters = _contact_filters(request)
    contacts = selectors.contacts_filtered(request.membership, filters)
    contact_url = row_url(request.organization, "stakeholders:contact_detail", "contact_id")

    def made():
        page = Paginator(contacts, PAGE_SIZE).get_page(request.GET.get("page"))
        return page, contact_rows(page.object_list, contact_url)

    page, rows = cached_contact_page(request.membership, filters, request.GET.get("page"), made)
    context = {
        "filter_form": form,
        "filters": filters,
        "page": page,
        "rows": rows,
        "query": _query_without_page(request),
        "own_partner": selectors.partner_of(request.membership),
    }
    if request.htmx and not request.htmx.boosted:
        return render(request, "stakeholders/contact_list.html#results", context)
    return render(request, "stakeholders/contact_list.html", context)


@org_view("stakeholders.edit")
def contact_create(request):
    form = ContactForm(request.POST or None, organization=request.organization)
    create = partial(services.contact_create, organization=request.organization)
    return _record_form_page(request, form, "contact", create)


@org_view("stakeholders.edit")
def contact_edit(request, contact_id: int):
    contact = _contact(request, contact_id)
    form = ContactForm(request.POST or None, instance=contact, organization=request.organization)
    update = partial(services.contact_update, contact=contact, by=request.user)
    return _record_form_page(request, form, "contact", update, contact)


@org_view("stakeholders.edit")
def contact_delete(request, contact_id: int):
    contact = _contact(request, contact_id)
    if request.method != "POST":
        return confirm_page(
            request,
            title=_("Delete %(name)s?") % {"name": contact.full_name},
            lead=_(
                "%(name)s is erased from the registry with everything that only describes "
                "them. What happened stays: it keeps their name or address, not the person."
            )
            % {"name": contact.full_name},
            button=_("Delete %(name)s") % {"name": contact.full_name},
            cancel_url=org_url(
                request.organization, "stakeholders:contact_edit", contact_id=contact.pk
            ),
            consequences=deletion_consequences(contact),
            blocked_help=_(
                "They still take part in an initiative or signed a commitment. These are kept: "
                "remove them from the initiative first, or keep the contact."
            ),
        )
    try:
        services.contact_delete(contact=contact)
    except ProtectedError:
        messages.error(
            request,
            _(
                "%(name)s is still referred to elsewhere (e.g. a signed commitment) and was not deleted."
            )
            % {"name": contact.full_name},
        )
        return redirect(
            org_url(request.organization, "stakeholders:contact_edit", contact_id=contact.pk)
        )
    messages.success(
        request,
        _(
            "%(name)s and their timeline were deleted from the registry; "
            "what happened (deliveries, attendance, answers) stays."
        )
        % {"name": contact.full_name},
    )
    return redirect(org_url(request.organization, "stakeholders:index"))


def _contact_context(request, contact, **forms):
    # A partner user sees their colleagues' details, not the backbone's notes about them.
    internal = can(request.membership, "stakeholders.notes")
    return {
        "contact": contact,
        "timeline": selectors.contact_timeline(contact) if internal else [],
        "consent_records": contact.consent_records.select_related("recorded_by")
        if internal
        else [],
        "note_form": forms.get("note_form") or NoteForm(),
        "consent_form": forms.get("consent_form") or ConsentForm(),
        "merge_form": forms.get("merge_form") or MergeForm(contact=contact),
        "consent_wording": services.CONSENT_WORDING,
    }


def _contact_page_with_errors(request, contact, **forms):
    """The contact's page again, showing the errors of the form in `forms` that was sent."""
    return render(
        request,
        "stakeholders/contact_detail.html",
        _contact_context(request, contact, **forms),
        status=INVALID_FORM,
    )


@org_view("stakeholders.view")
def contact_detail(request, contact_id: int):
    contact = _contact(request, contact_id)
    return render(request, "stakeholders/contact_detail.html", _contact_context(request, contact))


@org_view("stakeholders.edit")
@require_POST
def contact_note(request, contact_id: int):
    contact = _contact(request, contact_id)
    form = NoteForm(request.POST)
    if form.is_valid():
        day = form.cleaned_data["occurred_on"]
        occurred_at = (
            timezone.make_aware(datetime.combine(day, time(12)))
            if day and day != timezone.localdate()
            else timezone.now()
        )
        services.interaction_record(
            contact=contact,
            kind=InteractionKind.NOTE,
            summary=form.cleaned_data["summary"],
            occurred_at=occurred_at,
            created_by=request.user,
        )
        if request.htmx:
            response = render(
                request,
                "stakeholders/contact_detail.html#timeline",
                _contact_context(request, contact),
            )
            return announce_saved(response, request, _("Note added."))
        messages.success(request, _("Note added."))
        return redirect(_contact_url(request, contact))
    if request.htmx:
        # htmx swaps only 2xx answers: send the timeline back with the message in it.
        return render(
            request,
            "stakeholders/contact_detail.html#timeline",
            _contact_context(request, contact, note_form=form),
        )
    return _contact_page_with_errors(request, contact, note_form=form)


@org_view("stakeholders.edit")
@require_POST
def contact_consent(request, contact_id: int):
    contact = _contact(request, contact_id)
    form = ConsentForm(request.POST)
    if form.is_valid():
        try:
            services.consent_record(
                contact=contact,
                given=form.cleaned_data["given"],
                source=ConsentSource.STAFF,
                basis=form.cleaned_data["basis"],
                recorded_by=request.user,
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Consent recorded."))
            return redirect(_contact_url(request, contact))
    return _contact_page_with_errors(request, contact, consent_form=form)


@org_view("stakeholders.edit")
@require_POST
def contact_merge(request, contact_id: int):
    contact = _contact(request, contact_id)
    form = MergeForm(request.POST, contact=contact)
    if form.is_valid():
        other = form.cleaned_data["other"]
        services.contact_merge(kept=contact, absorbed=other, merged_by=request.user)
        messages.success(
            request, _("%(other)s was merged into this contact.") % {"other": other.full_name}
        )
        return redirect(_contact_url(request, contact))
    return _contact_page_with_errors(request, contact, merge_form=form)


# Partners --------------------------------------------------------------------


@org_view("stakeholders.view")
def partner_list(request):
    form = PartnerFilterForm(request.GET)
    data = form.cleaned_data if form.is_valid() else {"q": "", "sector": ""}
    partners = selectors.partners_filtered(
        request.membership, q=data["q"].strip(), sector=data["sector"]
    )
    page = Paginator(partners, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"filter_form": form, "page": page, "query": _query_without_page(request)}
    if request.htmx and not request.htmx.boosted:
        return render(request, "stakeholders/partner_list.html#results", context)
    return render(request, "stakeholders/partner_list.html", context)


@org_view("stakeholders.edit")
def partner_create(request):
    form = PartnerForm(request.POST or None)
    create = partial(services.partner_create, organization=request.organization)
    return _record_form_page(request, form, "partner", create)


@org_view("stakeholders.edit")
def partner_edit(request, partner_id: int):
    partner = _partner(request, partner_id)
    form = PartnerForm(request.POST or None, instance=partner)
    update = partial(services.partner_update, partner=partner, by=request.user)
    return _record_form_page(request, form, "partner", update, partner)


def _partner_context(request, partner, user_form=None, invite_form=None):
    can_link = request.membership.role in (Role.ADMIN, Role.COORDINATOR)
    can_invite = can(request.membership, "partners.invite")
    capacity = list(selectors.capacity_history(partner))
    return {
        "partner": partner,
        "invite_form": invite_form
        or (PartnerInviteForm(organization=request.organization) if can_invite else None),
        "capacity": capacity,
        "capacity_due": not capacity
        or capacity[0].year != services.capacity_year(request.organization),
        "people": partner_people(request, partner),
        "partner_users": selectors.partner_users(partner) if can_link else [],
        "user_form": user_form
        or (
            PartnerUserForm(
                memberships=selectors.partner_role_members_unlinked(request.organization)
            )
            if can_link
            else None
        ),
    }


@org_view("stakeholders.view")
def partner_detail(request, partner_id: int):
    partner = _partner(request, partner_id)
    return render(request, "stakeholders/partner_detail.html", _partner_context(request, partner))


@org_view("stakeholders.edit")
@require_POST
def partner_user_link(request, partner_id: int):
    partner = _partner(request, partner_id)
    form = PartnerUserForm(
        request.POST,
        memberships=Membership.objects.filter(organization=request.organization, role=Role.PARTNER),
    )
    if form.is_valid():
        try:
            services.partner_user_link(partner=partner, membership=form.cleaned_data["membership"])
        except ValidationError as exc:
            form.add_error("membership", exc.message_dict["membership"])
        else:
            messages.success(
                request,
                _("%(person)s now reports for %(partner)s.")
                % {
                    "person": form.cleaned_data["membership"].user.display_name,
                    "partner": partner.name,
                },
            )
            return redirect(_partner_url(request, partner))
    return render(
        request,
        "stakeholders/partner_detail.html",
        _partner_context(request, partner, user_form=form),
        status=INVALID_FORM,
    )


@org_view("partners.invite")
@require_POST
def partner_user_invite(request, partner_id: int):
    """Invite someone (e-mail and name) to report for this partner; they join as Partner."""
    partner = _partner(request, partner_id)
    form = PartnerInviteForm(request.POST, organization=request.organization)
    if form.is_valid():
        try:
            issued = services.partner_user_invite(
                partner=partner,
                invited_by=request.user,
                site=site_url(request),
                **form.cleaned_data,
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request,
                _("Invitation sent to %(email)s, to report for %(partner)s.")
                % {"email": issued.invitation.email, "partner": partner.name},
            )
            return redirect(_partner_url(request, partner))
    context = _partner_context(request, partner, invite_form=form)
    return render(request, "stakeholders/partner_detail.html", context, status=INVALID_FORM)


@org_view("stakeholders.edit")
@require_POST
def partner_user_unlink(request, partner_id: int):
    partner = _partner(request, partner_id)
    membership = access(request, Membership, pk=request.POST.get("membership") or 0)
    services.partner_user_unlink(partner=partner, membership=membership)
    messages.success(
        request,
        _("%(person)s no longer reports for %(partner)s.")
        % {"person": membership.user.display_name, "partner": partner.name},
    )
    return redirect(_partner_url(request, partner))


# Tags ------------------------------------------------------------------------


@org_view("stakeholders.edit")
def tag_list(request):
    return render(
        request,
        "stakeholders/tag_list.html",
        {"tags": selectors.tags_with_counts(request.organization)},
    )


@org_view("stakeholders.edit")
@require_POST
def tag_rename(request, tag_id: int):
    tag = access(request, Tag, pk=tag_id)
    try:
        services.tag_rename(tag=tag, name=request.POST.get("name", ""))
    except ValidationError as exc:
        messages.error(request, exc.message_dict["name"][0])
    else:
        messages.success(request, _("Tag renamed to “%(name)s”.") % {"name": tag.name})
    return redirect(org_url(request.organization, "stakeholders:tag_list"))


@org_view("stakeholders.edit")
@require_POST
def tag_delete(request, tag_id: int):
    tag = access(request, Tag, pk=tag_id)
    services.tag_delete(tag=tag)
    messages.success(request, _("Tag “%(name)s” removed from every contact.") % {"name": tag.name})
    return redirect(org_url(request.organization, "stakeholders:tag_list"))


# Import and export -----------------------------------------------------------


@org_view("stakeholders.edit")
def import_start(request):
    form = RegistryImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            batch = importing.import_prepare(
                organization=request.organization,
                kind=form.cleaned_data["kind"],
                filename=upload.name,
                raw=upload.read(csv_files.MAX_BYTES + 1),
                created_by=request.user,
                consent_basis=form.cleaned_data["consent_basis"],
            )
        except csv_files.ImportFileError as exc:
            form.add_error("file", str(exc))
        else:
            return redirect(
                org_url(
                    request.organization, "stakeholders:import_preview", batch_token=batch.token
                )
            )
    return render(
        request,
        "stakeholders/import_start.html",
        {
            "form": form,
            "columns": csv_files.COLUMNS,
            "exports": selectors.recent_exports(request.organization)
            if request.membership.role in (Role.ADMIN, Role.COORDINATOR)
            else [],
        },
        status=form_status(form),
    )


@org_view("stakeholders.edit")
def import_preview(request, batch_token: str):
    batch = access(request, selectors.import_batches(*REGISTRY_IMPORT_KINDS), token=batch_token)
    rows, hidden = importing.preview_rows(batch.rows, has_error=lambda row: row["errors"])
    return render(
        request,
        "stakeholders/import_preview.html",
        {
            "batch": batch,
            "rows": rows,
            "hidden": hidden,
            "counts": batch.result or importing.batch_counts(batch.rows),
        },
    )


@org_view("stakeholders.edit")
@require_POST
def import_confirm(request, batch_token: str):
    batch = access(request, selectors.import_batches(*REGISTRY_IMPORT_KINDS), token=batch_token)
    try:
        counts = importing.import_apply(batch=batch, applied_by=request.user)
    except importing.ImportBatchClosed as exc:
        messages.error(request, str(exc))
        return redirect(
            org_url(request.organization, "stakeholders:import_preview", batch_token=batch.token)
        )
    messages.success(
        request,
        _(
            "Import done: %(new)s new, %(update)s updated, %(unchanged)s unchanged, "
            "%(error)s rows skipped because of errors."
        )
        % counts,
    )
    return redirect(
        org_url(request.organization, "stakeholders:import_preview", batch_token=batch.token)
    )


@org_view("stakeholders.edit")
@require_POST
def import_cancel(request, batch_token: str):
    batch = access(request, selectors.import_batches(*REGISTRY_IMPORT_KINDS), token=batch_token)
    try:
        importing.import_cancel(batch=batch)
    except importing.ImportBatchClosed as exc:
        messages.error(request, str(exc))
        return redirect(
            org_url(request.organization, "stakeholders:import_preview", batch_token=batch.token)
        )
    messages.info(request, _("Import cancelled. Nothing was saved."))
    return redirect(org_url(request.organization, "stakeholders:import_start"))


def _export(request, kind: str, queryset, file_format: str) -> HttpResponse:
    stamp = timezone.localdate().isoformat()
    name = f"{request.organization.slug}-{kind}-{stamp}.{file_format}"
    arguments = {
        "organization": request.organization,
        "kind": kind,
        "queryset": queryset,
        "exported_by": request.user,
    }
    if file_format == "csv":
        header, rows, _count = exporting.registry_export_rows(**arguments)
        return csv_stream_response(header, rows, name)
    data, _count = exporting.registry_export_xlsx(**arguments)
    return xlsx_response(data, name)


@org_view("stakeholders.export")
def export_contacts(request, file_format: str = "csv"):
    _form, filters = _contact_filters(request)
    queryset = selectors.contacts_filtered(request.membership, filters)
    return _export(request, ImportKind.CONTACTS, queryset, file_format)


@org_view("stakeholders.export")
def export_partners(request, file_format: str = "csv"):
    queryset = selectors.partners_visible_to(request.membership)
    return _export(request, ImportKind.PARTNERS, queryset, file_format)
