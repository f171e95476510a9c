"""How the isolation test makes the core's objects (see tests/test_isolation.py)."""

from backbone.models import JobRun

from ..factories import InvitationFactory, MembershipFactory

OBJECT_MAKERS = {
    "job_id": lambda org: (
        JobRun.objects.create(
            organization=org, task_name="backbone.send_invitation", status=JobRun.Status.FAILED
        ).pk
    ),
    "membership_id": lambda org: MembershipFactory(organization=org).pk,
    "invitation_id": lambda org: InvitationFactory(organization=org).pk,
}
