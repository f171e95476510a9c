"""Background work of the plans app: PDFs, scheduled report cards, weekly newsletters.

Each task is a thin adapter: it reloads by id inside the tenant (TenantTask) and calls
a service. Services never queue jobs; where a service starts something that runs as
another job (an issue due to be sent), the task queues it after the service returns.
The names are what the beat schedule in settings refers to: keep them.
"""

from celery import shared_task

from backbone.models import Organization
from backbone.tasks import TenantTask, enqueue, fan_out

from .models import Newsletter
from .selectors.newsletter import newsletters_due
from .services.delivery import (
    MAX_ATTEMPTS,
    PermanentSendError,
    TransientSendError,
    deliveries_send,
    newsletters_recover_stuck,
)
from .services.handover import handover_render
from .services.newsletter import newsletter_draft_weekly, newsletter_send_now
from .services.plan import plan_pdf_render
from .services.report_card import report_card_pdf_render, scheduled_drafts
from .services.review import review_links_mail, review_pdf_render


@shared_task(base=TenantTask, name="plans.render_plan_pdf")
def render_plan_pdf(organization: Organization, *, pdf_id: int) -> str:
    return plan_pdf_render(organization=organization, pdf_id=pdf_id)


@shared_task(base=TenantTask, name="plans.render_handover_pdf")
def render_handover_pdf(organization: Organization, *, report_id: int) -> str:
    return handover_render(organization=organization, report_id=report_id)


@shared_task(base=TenantTask, name="plans.render_report_card_pdf")
def render_report_card_pdf(organization: Organization, *, report_card_id: int) -> str:
    return report_card_pdf_render(organization=organization, report_card_id=report_card_id)


@shared_task(name="plans.dispatch_report_card_schedules")
def dispatch_report_card_schedules() -> int:
    """Beat entry (hourly): one drafting job per organization. Reads no tenant rows."""
    return fan_out(draft_scheduled_report_cards)


@shared_task(base=TenantTask, name="plans.draft_scheduled_report_cards")
def draft_scheduled_report_cards(organization: Organization) -> str:
    return f"drafted {scheduled_drafts(organization=organization)}"


@shared_task(name="plans.dispatch_weekly_newsletters")
def dispatch_weekly_newsletters() -> int:
    """Beat entry (every 15 minutes): one drafting job per organization. Reads no tenant rows."""
    return fan_out(draft_weekly_newsletter)


@shared_task(base=TenantTask, name="plans.draft_weekly_newsletter")
def draft_weekly_newsletter(organization: Organization) -> str:
    newsletter = newsletter_draft_weekly(organization=organization)
    if newsletter is None:
        return "not yet this week"
    return f"draft {newsletter.pk} with {newsletter.items.count()} items"


@shared_task(name="plans.dispatch_scheduled_newsletters")
def dispatch_scheduled_newsletters() -> int:
    """Beat entry (every minute): each organization sends the issues whose time has come."""
    return fan_out(send_due_newsletters)


@shared_task(base=TenantTask, name="plans.send_due_newsletters")
def send_due_newsletters(organization: Organization) -> str:
    recovered = newsletters_recover_stuck(organization=organization)
    due = list(newsletters_due(organization))
    for newsletter in due:
        _count, started = newsletter_send_now(newsletter=newsletter, user=None)
        if started:
            enqueue(send_newsletter, organization_id=organization.pk, newsletter_id=newsletter.pk)
    return f"started {len(due)}, recovered {recovered} stuck"


@shared_task(base=TenantTask, bind=True, name="plans.send_newsletter", max_retries=MAX_ATTEMPTS)
def send_newsletter(self, organization: Organization, *, newsletter_id: int) -> str:
    newsletter = Newsletter.objects.get(pk=newsletter_id, organization=organization)
    try:
        counts = deliveries_send(newsletter=newsletter)
    except PermanentSendError as exc:
        # The issue is marked failed with the reason, for people to fix and send again;
        # retrying would fail the same way.
        return f"not sent: {exc}"
    except TransientSendError as exc:
        # Back off: 30 s, 1 min, 2 min, 4 min… then the rows are marked failed.
        raise self.retry(exc=exc, countdown=30 * 2**self.request.retries) from exc
    return ", ".join(f"{k} {v}" for k, v in counts.items())


@shared_task(base=TenantTask, name="plans.send_review_links")
def send_review_links(
    organization: Organization, *, review_id: int, respondent_ids: list[int]
) -> str:
    return f"mailed {review_links_mail(organization=organization, review_id=review_id, respondent_ids=respondent_ids)}"


@shared_task(base=TenantTask, name="plans.render_review_pdf")
def render_review_pdf(organization: Organization, *, review_id: int) -> str:
    return review_pdf_render(organization=organization, review_id=review_id)
