"""How the isolation test makes the core's objects (see tests/test_isolation.py)."""

from django_scopes import scopes_disabled

from backbone.models import AdminTransfer, JobRun, Notification, OrganizationArchive

from ..factories import InvitationFactory, MembershipFactory

OBJECT_MAKERS = {
    "job_id": lambda org: (
        JobRun.objects.create(
            organization=org, task_name="backbone.send_invitation", status=JobRun.Status.FAILED
        ).pk
    ),
    "membership_id": lambda org: MembershipFactory(organization=org).pk,
    "invitation_id": lambda org: InvitationFactory(organization=org).pk,
    "notification_id": lambda org: _notification(org),
    "archive_id": lambda org: _archive(org),
    "transfer_id": lambda org: _transfer(org),
}


def _archive(org) -> int:
    with scopes_disabled():
        return OrganizationArchive.objects.create(
            organization=org, status=OrganizationArchive.Status.READY, file="archives/x.zip"
        ).pk


def _transfer(org) -> int:
    admin, member = MembershipFactory(organization=org), MembershipFactory(organization=org)
    with scopes_disabled():
        return AdminTransfer.objects.create(
            organization=org,
            offered_by=admin.user,
            offered_by_name="Admin",
            offered_to=member.user,
            offered_to_name="Member",
        ).pk


def _notification(org) -> int:
    member = MembershipFactory(organization=org)
    with scopes_disabled():
        return Notification.objects.create(
            organization=org, user=member.user, kind="job_failed", key="k", title="t"
        ).pk
