"""Pages of the transition pack kept by the core: the organization's archive (an admin
asks for one, a job builds it, the admin downloads it) and the admin role handed on."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from . import tasks, transition
from .access import access, org_view
from .files import file_response
from .forms import AdminTransferForm, form_status
from .links import org_url
from .models import AdminTransfer, Membership, OrganizationArchive, Role
from .permissions import can


@org_view("organization.archive")
def archives(request):
    """The organization's archives: ask for a new one, download a ready one."""
    if request.method == "POST":
        archive = transition.organization_archive_request(
            organization=request.organization, by=request.user
        )
        tasks.enqueue(
            tasks.organization_archive_build,
            organization_id=request.organization.pk,
            archive_id=archive.pk,
        )
        messages.success(
            request, _("The archive is being built; it is listed here once it is ready.")
        )
        return redirect(org_url(request.organization, "archives"))
    rows = OrganizationArchive.objects.filter(organization=request.organization).select_related(
        "requested_by"
    )[:20]
    return render(request, "backbone/archives.html", {"archives": rows})


@org_view("organization.archive")
def archive_download(request, archive_id: int):
    archive = access(
        request,
        OrganizationArchive.objects.filter(status=OrganizationArchive.Status.READY),
        pk=archive_id,
    )
    if not archive.file or not archive.file.storage.exists(archive.file.name):
        raise Http404  # the stored zip is gone (deleted from storage): nothing to hand out
    return file_response(archive.file, attachment=True)


def _candidates(request):
    return (
        Membership.objects.filter(organization=request.organization)
        .exclude(user=request.user)
        .exclude(role=Role.ADMIN)
        .select_related("user")
        .order_by("user__email")
    )


@org_view("organization.transfer")
def admin_transfers(request):
    """Offer the admin role to a member: the page asks before the offer is made, and
    lists every offer made, with who accepted it and when."""
    form = AdminTransferForm(request.POST or None, members=_candidates(request))
    confirming = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if not data["confirmed"]:
            confirming = data  # ask before doing it: the same choices, sent again
        else:
            try:
                transition.admin_transfer_offer(
                    organization=request.organization,
                    by=request.user,
                    to=data["to"],
                    keep_admin=data["keep_admin"],
                    note=data["note"],
                )
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(
                    request,
                    _("%(name)s is asked to accept the admin role.") % {"name": data["to"].user},
                )
                return redirect(org_url(request.organization, "admin_transfers"))
    history = AdminTransfer.objects.filter(organization=request.organization)[:50]
    return render(
        request,
        "backbone/admin_transfers.html",
        {"form": form, "confirming": confirming, "history": history},
        status=form_status(form),
    )


@org_view("organization.view")
def admin_transfer(request, transfer_id: int):
    """One offer: the person it is offered to reads what accepting does and accepts or
    declines; admins see it and may withdraw it while it is open."""
    visible = AdminTransfer.objects.all()
    if not can(request.membership, "organization.transfer"):
        visible = visible.filter(Q(offered_to=request.user))
    transfer = access(request, visible, pk=transfer_id)
    return render(request, "backbone/admin_transfer.html", {"transfer": transfer})


@org_view("organization.view")
@require_POST
def admin_transfer_answer(request, transfer_id: int):
    visible = AdminTransfer.objects.all()
    if not can(request.membership, "organization.transfer"):
        visible = visible.filter(Q(offered_to=request.user))
    transfer = access(request, visible, pk=transfer_id)
    answer = request.POST.get("answer")
    try:
        if answer == "accept":
            transition.admin_transfer_accept(transfer=transfer, user=request.user)
            messages.success(
                request, _("You are an admin of %(org)s now.") % {"org": request.organization.name}
            )
        elif answer == "decline":
            transition.admin_transfer_decline(transfer=transfer, user=request.user)
            messages.success(request, _("You declined the admin role."))
        elif answer == "cancel" and can(request.membership, "organization.transfer"):
            transition.admin_transfer_cancel(transfer=transfer)
            messages.success(request, _("The offer was withdrawn."))
        else:
            messages.error(request, _("Choose to accept or decline."))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect(org_url(request.organization, "admin_transfer", transfer_id=transfer.pk))
