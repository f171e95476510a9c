import os
import time

import pytest
from celery.contrib.testing.worker import start_worker
from django_scopes import scope, scopes_disabled

from backbone.celery import app
from backbone.models import JobRun
from backbone.tasks import enqueue
from plans.models import Delivery, Newsletter
from plans.services.newsletter import newsletter_send_now
from plans.tasks import send_newsletter

from ..factories import OrganizationFactory
from .factories import ConsentingContactFactory, NewsletterFactory, NewsletterItemFactory


@pytest.mark.redis
@pytest.mark.skipif(not os.environ.get("REDIS_URL"), reason="needs REDIS_URL (CI starts Redis)")
@pytest.mark.django_db(transaction=True)
def test_a_real_worker_on_redis_sends_the_newsletter_to_a_real_smtp_server(smtp_sink):
    org = OrganizationFactory()
    other = OrganizationFactory()
    issue = NewsletterFactory(organization=org)
    NewsletterItemFactory(newsletter=issue)
    readers = ConsentingContactFactory.create_batch(5, organization=org)
    ConsentingContactFactory(organization=other, email="other-org@example.org")
    app.conf.task_always_eager = False
    with start_worker(app, perform_ping_check=False, pool="solo", loglevel="WARNING"):
        with scope(organization=org):
            newsletter_send_now(newsletter=issue, user=None)
            enqueue(send_newsletter, organization_id=org.pk, newsletter_id=issue.pk)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            with scopes_disabled():
                if Newsletter.objects.get(pk=issue.pk).status == Newsletter.Status.SENT:
                    break
            time.sleep(0.2)
    with scopes_disabled():
        assert Newsletter.objects.get(pk=issue.pk).status == Newsletter.Status.SENT
        assert Delivery.objects.filter(status=Delivery.Status.SENT).count() == 5
    run = JobRun.objects.get(task_name="plans.send_newsletter")
    assert run.task_id and run.organization == org
    assert sorted(r for m in smtp_sink.received for r in m.recipients) == sorted(
        c.email for c in readers
    )
