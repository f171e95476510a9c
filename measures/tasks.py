from celery import shared_task

from backbone.models import Organization
from backbone.tasks import TenantTask, fan_out

from .agreements import agreement_reminders_run
from .reminders import reminders_run


@shared_task(name="measures.dispatch_data_reminders")
def dispatch_data_reminders() -> int:
    """Beat entry (hourly): one reminders job per organization; each decides by its own clock."""
    return fan_out(send_data_reminders)


@shared_task(base=TenantTask, name="measures.send_data_reminders")
def send_data_reminders(organization: Organization) -> str:
    counts = reminders_run(organization=organization)
    return f"{counts['partners']} partner digests, {counts['coordinators']} coordinator summaries"


@shared_task(name="measures.dispatch_agreement_reminders")
def dispatch_agreement_reminders() -> int:
    """Beat entry (daily): one agreement-expiry job per organization."""
    return fan_out(send_agreement_reminders)


@shared_task(base=TenantTask, name="measures.send_agreement_reminders")
def send_agreement_reminders(organization: Organization) -> str:
    return f"{agreement_reminders_run(organization=organization)} agreements expiring"
