"""Newsletter jobs: the weekly drafts, scheduled sends and the sending itself."""

from celery import shared_task

from backbone.models import Organization
from backbone.tasks import TenantTask, fan_out

from . import newsletters
from .newsletter_models import Newsletter


@shared_task(name="plans.dispatch_weekly_newsletters")
def dispatch_weekly_newsletters() -> int:
    """Beat entry (every 15 minutes): one drafting job per organization. Reads no tenant rows."""
    return fan_out(draft_weekly_newsletter)


@shared_task(base=TenantTask, name="plans.draft_weekly_newsletter")
def draft_weekly_newsletter(organization: Organization) -> str:
    newsletter = newsletters.newsletter_draft_weekly(organization=organization)
    if newsletter is None:
        return "not yet this week"
    return f"draft {newsletter.pk} with {newsletter.items.count()} items"


@shared_task(name="plans.dispatch_scheduled_newsletters")
def dispatch_scheduled_newsletters() -> int:
    """Beat entry (every minute): each organization sends the issues whose time has come."""
    return fan_out(send_due_newsletters)


@shared_task(base=TenantTask, name="plans.send_due_newsletters")
def send_due_newsletters(organization: Organization) -> str:
    due = list(newsletters.newsletters_due(organization))
    for newsletter in due:
        newsletters.newsletter_send_now(newsletter=newsletter, user=None)
    return f"started {len(due)}"


@shared_task(
    base=TenantTask, bind=True, name="plans.send_newsletter", max_retries=newsletters.MAX_ATTEMPTS
)
def send_newsletter(self, organization: Organization, *, newsletter_id: int) -> str:
    newsletter = Newsletter.objects.get(pk=newsletter_id, organization=organization)
    try:
        counts = newsletters.deliveries_send(newsletter=newsletter)
    except newsletters.TransientSendError as exc:
        # Back off: 30 s, 1 min, 2 min, 4 min… then the rows are marked failed.
        raise self.retry(exc=exc, countdown=30 * 2**self.request.retries) from exc
    return ", ".join(f"{k} {v}" for k, v in counts.items())
