"""Tasks of the initiatives app: thin adapters that reload by id and send."""

from celery import shared_task
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _

from backbone.links import absolute_url
from backbone.mail import send_branded_text
from backbone.models import Organization
from backbone.tasks import TenantTask

from .models import FeedbackSurvey


@shared_task(base=TenantTask, name="initiatives.send_feedback_survey")
def send_feedback_survey(organization: Organization, *, survey_id: int) -> str:
    """E-mail the survey link to the signer; skipped once answered or expired (safe to retry)."""
    survey = FeedbackSurvey.objects.select_related("sent_to", "initiative").get(
        pk=survey_id, organization=organization
    )
    if survey.is_answered or survey.is_expired:
        return "skipped: answered or expired"
    if survey.sent_to is None or not survey.sent_to.email:
        return "skipped: no e-mail address"
    context = {
        "survey": survey,
        "organization": organization,
        "link": absolute_url(reverse("survey:answer", kwargs={"token": survey.token})),
    }
    subject = _("%(initiative)s: your yearly partner feedback") % {"initiative": survey.initiative}
    body = render_to_string("initiatives/email/feedback_survey.txt", context)
    send_branded_text(
        organization=organization, to=[survey.sent_to.email], subject=subject, text=body
    )
    return f"sent to {survey.sent_to.email}"
