import os
import time

import pytest
from celery.contrib.testing.worker import start_worker
from django.core import mail
from django_scopes import get_scope

from backbone.celery import app
from backbone.models import Invitation, JobRun, Organization, Role
from backbone.services import invitation_create
from backbone.tasks import TenantTask, fan_out, send_invitation

from ..factories import InvitationFactory, MembershipFactory


@app.task(base=TenantTask, name="tests.report_scope")
def report_scope(organization: Organization, *, fail: bool = False) -> str:
    if fail:
        raise RuntimeError("the data source was down")
    scope = get_scope()
    return f"{organization.slug}:{scope['organization'].slug}:{scope['_enabled']}"


def test_a_tenant_task_runs_inside_its_organizations_scope_and_records_the_run(world):
    result = report_scope.delay(organization_id=world.org.pk).get()
    assert result == "riverside:riverside:True"
    run = JobRun.objects.get(task_name="tests.report_scope")
    assert run.organization == world.org
    assert run.status == JobRun.Status.SUCCEEDED
    assert run.result == "riverside:riverside:True"
    assert run.finished_at >= run.started_at


def test_a_failing_task_records_the_error(world):
    with pytest.raises(RuntimeError):
        report_scope.delay(organization_id=world.other_org.pk, fail=True).get()
    run = JobRun.objects.get(task_name="tests.report_scope")
    assert run.organization == world.other_org
    assert run.status == JobRun.Status.FAILED
    assert "the data source was down" in run.error


def test_a_task_requires_an_organization_id(world):
    with pytest.raises(TypeError):
        report_scope.delay()


def test_sending_an_invitation_twice_after_it_was_used_sends_nothing(world):
    invitation = InvitationFactory(organization=world.org, accepted_at="2026-01-01T00:00Z")
    send_invitation.delay(
        organization_id=world.org.pk, invitation_id=invitation.pk, subject="s", body="b"
    )
    assert mail.outbox == []


def test_a_task_can_not_reach_another_organizations_invitation(world):
    invitation = InvitationFactory(organization=world.org)
    with pytest.raises(Invitation.DoesNotExist):
        send_invitation.delay(
            organization_id=world.other_org.pk, invitation_id=invitation.pk, subject="s", body="b"
        )
    assert mail.outbox == []


def test_the_jobs_page_shows_this_organizations_runs_to_admins(world, login):
    report_scope.delay(organization_id=world.org.pk)
    report_scope.delay(organization_id=world.other_org.pk)
    response = login(world.admin).get("/o/riverside/jobs/")
    assert list(response.context["runs"]) == list(JobRun.objects.filter(organization=world.org))
    assert "tests.report_scope" in response.content.decode()
    assert login(world.coordinator).get("/o/riverside/jobs/").status_code == 403


@pytest.mark.redis
@pytest.mark.skipif(not os.environ.get("REDIS_URL"), reason="needs REDIS_URL (CI starts Redis)")
@pytest.mark.django_db(transaction=True)
def test_a_real_worker_on_redis_mails_the_invitation():
    admin = MembershipFactory(role=Role.ADMIN)
    app.conf.task_always_eager = False
    with start_worker(app, perform_ping_check=False, pool="solo", loglevel="WARNING"):
        invitation_create(
            organization=admin.organization,
            email="via.redis@example.org",
            role=Role.PARTNER,
            invited_by=admin.user,
        )
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            run = JobRun.objects.filter(task_name="backbone.send_invitation").first()
            if run and run.status != JobRun.Status.RUNNING:
                break
            time.sleep(0.2)
    assert run is not None, "the worker never ran the task"
    assert run.status == JobRun.Status.SUCCEEDED, run.error
    assert run.task_id  # it came through the broker, not eagerly
    assert [m.to for m in mail.outbox] == [["via.redis@example.org"]]


def test_a_failed_job_runs_again_with_the_same_arguments(
    world, login, monkeypatch, django_capture_on_commit_callbacks
):
    InvitationFactory(organization=world.org, email="retry@example.org", token="tok-retry")
    invitation = Invitation.objects.get(email="retry@example.org")
    original = send_invitation.run
    monkeypatch.setattr(
        send_invitation, "run", lambda *a, **k: (_ for _ in ()).throw(OSError("SMTP down"))
    )
    with pytest.raises(OSError):
        send_invitation.delay(
            organization_id=world.org.pk, invitation_id=invitation.pk, subject="Join", body="link"
        )
    failed = JobRun.objects.get(status=JobRun.Status.FAILED)
    assert failed.arguments["kwargs"] == {
        "invitation_id": invitation.pk,
        "subject": "Join",
        "body": "link",
    }
    monkeypatch.setattr(send_invitation, "run", original)

    client = login(world.admin)
    body = client.get("/o/riverside/jobs/").content.decode()
    assert "Run again" in body and "SMTP down" in body
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/o/riverside/jobs/{failed.pk}/rerun/")
    assert [m.to for m in mail.outbox] == [["retry@example.org"]]
    assert JobRun.objects.filter(status=JobRun.Status.SUCCEEDED).count() == 1


def test_a_succeeded_job_is_not_run_again(world, login):
    report_scope.delay(organization_id=world.org.pk)
    done = JobRun.objects.get()
    login(world.admin).post(f"/o/riverside/jobs/{done.pk}/rerun/")
    assert JobRun.objects.count() == 1


@app.task(base=TenantTask, name="tests.count_runs")
def count_runs(organization: Organization) -> str:
    return organization.slug


def test_fan_out_starts_one_job_per_organization(world):
    assert fan_out(count_runs) == 2
    runs = JobRun.objects.filter(task_name="tests.count_runs")
    assert sorted(runs.values_list("organization__slug", flat=True)) == ["northbay", "riverside"]
