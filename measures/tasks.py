from celery import shared_task

from backbone.models import Organization
from backbone.tasks import TenantTask, fan_out

from .reminders import reminders_run


@shared_task(name="measures.dispatch_data_reminders")
def dispatch_data_reminders() -> int:
    """Beat entry (hourly): one reminders job per organization; each decides by its own clock."""
    return fan_out(send_data_reminders)


@shared_task(base=TenantTask, name="measures.send_data_reminders")
def send_data_reminders(organization: Organization) -> str:
    counts = reminders_run(organization=organization)
    return f"{counts['partners']} partner digests, {counts['coordinators']} coordinator summaries"
