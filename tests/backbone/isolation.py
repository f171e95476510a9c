"""How the isolation test makes the core's objects (see tests/test_isolation.py)."""

from django_scopes import scopes_disabled

from backbone.models import JobRun, Notification

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
}


def _notification(org) -> int:
    member = MembershipFactory(organization=org)
    with scopes_disabled():
        return Notification.objects.create(
            organization=org, user=member.user, kind="job_failed", key="k", title="t"
        ).pk
