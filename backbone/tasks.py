"""The tenant-aware task base and the core's own tasks.

Tasks take `organization_id=` and ids, never objects: the task reloads the
organization, runs inside its scope, time zone and language, and records a
JobRun so that admins see what ran and what failed.
"""

import json
import traceback
from typing import Any

from celery import Task, current_app, shared_task
from celery.exceptions import Retry
from django.core.cache import cache
from django.core.mail import EmailMultiAlternatives
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django_scopes import scope

from . import transition
from .health import heartbeat_record
from .links import org_url
from .mail import sender
from .models import Invitation, JobRun, Organization, OrganizationArchive
from .notifications import Kind, members_with_roles, notifications_mail, notify


def _recordable(args: tuple, kwargs: dict) -> dict:
    """The call's arguments as JSON, so that a failed run can be run again from the jobs page."""
    try:
        return json.loads(json.dumps({"args": list(args), "kwargs": kwargs}, cls=DjangoJSONEncoder))
    except TypeError:
        return {
            "args": [repr(a) for a in args],
            "kwargs": {k: repr(v) for k, v in kwargs.items()},
            "rerunnable": False,
        }


class TenantTask(Task):
    """Run the task body as `run(organization, *args, **kwargs)` inside the tenant's scope."""

    abstract = True
    # The body takes the organization, callers pass organization_id: Celery's
    # signature check would compare the two and refuse.
    typing = False

    def __call__(self, *args, organization_id: int, **kwargs) -> Any:
        organization = Organization.objects.get(pk=organization_id)
        job = JobRun.objects.create(
            task_name=self.name,
            task_id=getattr(self.request, "id", None) or "",
            organization=organization,
            arguments=_recordable(args, kwargs),
        )
        try:
            with (
                scope(organization=organization),
                timezone.override(organization.tzinfo),
                translation.override(organization.language),
            ):
                result = self.run(organization, *args, **kwargs)
        except Retry:
            job.status = JobRun.Status.FAILED
            job.error = "Will be retried."
            job.finished_at = timezone.now()
            job.save(update_fields=["status", "error", "finished_at"])
            raise
        except Exception:
            job.status = JobRun.Status.FAILED
            job.error = traceback.format_exc()[-5000:]
            job.finished_at = timezone.now()
            job.save(update_fields=["status", "error", "finished_at"])
            _tell_admins(organization, job)
            raise
        job.status = JobRun.Status.SUCCEEDED
        job.result = "" if result is None else str(result)[:1000]
        job.finished_at = timezone.now()
        job.save(update_fields=["status", "result", "finished_at"])
        return result


def _tell_admins(organization: Organization, job: JobRun) -> None:
    """One "job failed" notification per task and local day, so a job failing every
    minute (mail server down) does not bury the admins."""
    day = timezone.localdate(job.finished_at, organization.tzinfo)
    with translation.override(organization.language):
        notify(
            organization=organization,
            recipients=members_with_roles(organization, "admin"),
            kind=Kind.JOB_FAILED,
            key=f"job_failed:{job.task_name}:{day.isoformat()}",
            title=lambda: _("A background job failed: %(task)s") % {"task": job.task_name},
            url=org_url(organization, "jobs"),
        )


def job_rerun(job: JobRun) -> None:
    """Send a failed job again with the same arguments. Tasks are idempotent, so this is safe."""
    if job.status != JobRun.Status.FAILED or job.arguments.get("rerunnable") is False:
        raise ValueError("Only failed jobs with recorded arguments can run again")
    task = current_app.tasks[job.task_name]
    args = job.arguments.get("args", [])
    enqueue(task, *args, organization_id=job.organization_id, **job.arguments.get("kwargs", {}))


def fan_out(task: Task) -> int:
    """Start `task` once per organization (what a beat entry does); reads no tenant rows.
    Each organization's job decides by its own clock whether there is work."""
    ids = list(Organization.objects.values_list("pk", flat=True))
    for organization_id in ids:
        task.delay(organization_id=organization_id)
    return len(ids)


def enqueue(task: Task, *args, **kwargs) -> None:
    """Send `task` once the current transaction commits, so it sees what we just saved."""
    transaction.on_commit(lambda: task.delay(*args, **kwargs))


@shared_task(base=TenantTask, name="backbone.send_invitation")
def send_invitation(
    organization: Organization, *, invitation_id: int, subject: str, body: str, html: str = ""
) -> str:
    """Mail an invitation, unless it was used or withdrawn meanwhile (safe to retry)."""
    invitation = Invitation.objects.get(pk=invitation_id, organization=organization)
    if not invitation.is_pending:
        return "skipped: no longer pending"
    language = invitation.language or organization.language  # as the service rendered it
    message = EmailMultiAlternatives(
        subject,
        body,
        sender(organization),
        [invitation.email],
        headers={"Content-Language": language},
    )
    if html:
        message.attach_alternative(html, "text/html")
    message.send()
    return f"sent to {invitation.email}"


@shared_task(name="backbone.dispatch_notification_mails")
def dispatch_notification_mails() -> int:
    """Beat entry (every minute): one notification-mailing job per organization."""
    return fan_out(mail_notifications)


@shared_task(base=TenantTask, name="backbone.mail_notifications")
def mail_notifications(organization: Organization) -> str:
    """Mail the notifications wanted at once, and the daily digest when its hour has come
    (each is claimed before it is mailed: a retry never mails one twice)."""
    counts = notifications_mail(organization=organization)
    return f"{counts['now']} at once, {counts['digest']} digests"


@shared_task(name="backbone.heartbeat", ignore_result=True)
def heartbeat() -> float:
    """Beat's pulse: the jobs page reads when this last ran (not recorded as a JobRun)."""
    return heartbeat_record()


WORKERS_KEY = "backbone:workers-answering"
WORKERS_KEPT_SECONDS = 15


def workers_answering(timeout: float = 0.5) -> int | None:
    """How many Celery workers answered a ping in the last few seconds; None when jobs run
    in-process. A ping waits its whole timeout (it cannot know how many will answer), so
    its answer is kept briefly in the shared cache: the jobs page doesn't wait on every
    visit, and every node shows the same answer."""
    if current_app.conf.task_always_eager:
        return None
    answered = cache.get(WORKERS_KEY)
    if answered is None:
        try:
            answered = len(current_app.control.ping(timeout=timeout) or [])
        except Exception:  # a broker that is down answers "no workers", not an error page
            answered = 0
        cache.set(WORKERS_KEY, answered, WORKERS_KEPT_SECONDS)
    return answered


@shared_task(base=TenantTask, name="backbone.organization_archive_build")
def organization_archive_build(organization: Organization, *, archive_id: int) -> str:
    """Build an admin's download of the organization's archive."""
    archive = OrganizationArchive.objects.get(pk=archive_id, organization=organization)
    transition.organization_archive_build(archive=archive)
    return f"{archive.rows} rows, {archive.size} bytes"
