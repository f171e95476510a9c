from celery import shared_task

from backbone.models import Organization
from backbone.tasks import TenantTask

from .reminders import reminders_run


@shared_task(name="measures.dispatch_data_reminders")
def dispatch_data_reminders() -> int:
    """Beat entry (hourly): one reminders job per organization; each decides by its own clock."""
    ids = list(Organization.objects.values_list("pk", flat=True))
    for organization_id in ids:
        send_data_reminders.delay(organization_id=organization_id)
    return len(ids)


@shared_task(base=TenantTask, name="measures.send_data_reminders")
def send_data_reminders(organization: Organization) -> str:
    counts = reminders_run(organization=organization)
    return f"{counts['partners']} partner digests, {counts['coordinators']} coordinator summaries"
