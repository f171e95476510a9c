"""Writes of the transition pack that belong to the core: the organization's archive an
admin downloads (built by a job from `backbone.archive`), and the admin role handed to
another member, who accepts it, with both steps kept."""

import io

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .archive import organization_export
from .links import org_url
from .models import AdminTransfer, Membership, Organization, OrganizationArchive, Role, User
from .notifications import Kind, notify


@transaction.atomic
def organization_archive_request(*, organization: Organization, by: User) -> OrganizationArchive:
    """A new archive to build (the caller enqueues `tasks.organization_archive_build`)."""
    return OrganizationArchive.objects.create(organization=organization, requested_by=by)


def organization_archive_build(*, archive: OrganizationArchive) -> OrganizationArchive:
    """Write the archive's zip into storage (safe to run again: it is written afresh)."""
    buffer = io.BytesIO()
    try:
        counts = organization_export(archive.organization, buffer)
    except Exception:
        archive.status = OrganizationArchive.Status.FAILED
        archive.finished_at = timezone.now()
        archive.save(update_fields=["status", "finished_at"])
        raise
    stamp = timezone.localtime(archive.requested_at, archive.organization.tzinfo)
    name = f"{archive.organization.slug}-{stamp:%Y-%m-%d-%H%M}.zip"
    if archive.file:
        archive.file.delete(save=False)
    archive.file.save(name, ContentFile(buffer.getvalue()), save=False)
    archive.status = OrganizationArchive.Status.READY
    archive.rows = sum(counts.values())
    archive.size = buffer.tell()
    archive.finished_at = timezone.now()
    archive.save()
    return archive


def _membership(organization: Organization, user: User | None) -> Membership | None:
    if user is None:
        return None
    return Membership.objects.filter(organization=organization, user=user).first()


@transaction.atomic
def admin_transfer_offer(
    *, organization: Organization, by: User, to: Membership, keep_admin: bool, note: str = ""
) -> AdminTransfer:
    """Offer the admin role to the member `to`; nothing changes until they accept. An
    earlier open offer of the same admin is withdrawn."""
    if to.organization_id != organization.pk:
        raise ValidationError({"to": _("This person is not a member here.")})
    if to.user_id == by.pk:
        raise ValidationError({"to": _("Choose someone else: you are the admin already.")})
    if to.role == Role.ADMIN:
        raise ValidationError({"to": _("%(name)s is an admin already.") % {"name": to.user}})
    AdminTransfer.objects.filter(
        organization=organization,
        offered_by=by,
        accepted_at=None,
        declined_at=None,
        cancelled_at=None,
    ).update(cancelled_at=timezone.now())
    transfer = AdminTransfer.objects.create(
        organization=organization,
        offered_by=by,
        offered_by_name=by.display_name,
        offered_to=to.user,
        offered_to_name=to.user.display_name,
        keep_admin=keep_admin,
        note=note,
    )
    notify(
        organization=organization,
        recipients=[to.user],
        kind=Kind.ADMIN_TRANSFER,
        key=f"admin_transfer:{transfer.pk}",
        title=_("%(name)s offers you the admin role of %(org)s")
        % {"name": transfer.offered_by_name, "org": organization.name},
        url=org_url(organization, "admin_transfer", transfer_id=transfer.pk),
    )
    return transfer


def _open(transfer: AdminTransfer) -> AdminTransfer:
    locked = AdminTransfer.objects.select_for_update().get(pk=transfer.pk)
    if not locked.is_open:
        raise ValidationError(_("This offer was already answered or withdrawn."))
    return locked


@transaction.atomic
def admin_transfer_accept(*, transfer: AdminTransfer, user: User) -> AdminTransfer:
    """The new person accepts: they become admin, and the one who offered stays admin or
    becomes a coordinator, as they chose; both steps are kept with their time."""
    transfer = _open(transfer)
    if transfer.offered_to_id != user.pk:
        raise ValidationError(_("Only the person it was offered to can accept it."))
    organization = transfer.organization
    newcomer = _membership(organization, user)
    if newcomer is None:
        raise ValidationError(_("You are no longer a member of %(org)s.") % {"org": organization})
    newcomer.role = Role.ADMIN
    newcomer.save(update_fields=["role"])
    previous = _membership(organization, transfer.offered_by)
    if previous is not None and previous.role == Role.ADMIN and not transfer.keep_admin:
        previous.role = Role.COORDINATOR
        previous.save(update_fields=["role"])
    transfer.accepted_at = timezone.now()
    transfer.save(update_fields=["accepted_at"])
    return transfer


@transaction.atomic
def admin_transfer_decline(*, transfer: AdminTransfer, user: User) -> AdminTransfer:
    transfer = _open(transfer)
    if transfer.offered_to_id != user.pk:
        raise ValidationError(_("Only the person it was offered to can decline it."))
    transfer.declined_at = timezone.now()
    transfer.save(update_fields=["declined_at"])
    return transfer


@transaction.atomic
def admin_transfer_cancel(*, transfer: AdminTransfer) -> AdminTransfer:
    transfer = _open(transfer)
    transfer.cancelled_at = timezone.now()
    transfer.save(update_fields=["cancelled_at"])
    return transfer
