from .newsletter_tasks import (  # noqa: F401 - registers the newsletter jobs with Celery
    dispatch_scheduled_newsletters,
    dispatch_weekly_newsletters,
    draft_weekly_newsletter,
    send_due_newsletters,
    send_newsletter,
)
