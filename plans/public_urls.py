"""Every link reached without an account: a newsletter's signed links (/n/…), a
published report card (/r/…) and the backbone review questionnaire (/review/…)."""

from django.urls import path

from .views import delivery, report_card, review

urlpatterns = [
    path("n/u/<str:token>/", delivery.unsubscribe, name="newsletter_unsubscribe"),
    path("n/p/<str:token>/", delivery.preferences, name="newsletter_preferences"),
    path("n/c/<str:token>/", delivery.click, name="newsletter_click"),
    path("r/<str:token>/", report_card.report_card_public, name="report_card_public"),
    path("review/<str:token>/", review.review_answer, name="review_answer"),
    path("r/<str:token>/pdf/", report_card.report_card_public_pdf, name="report_card_public_pdf"),
]
