"""Every link reached without an account: a newsletter's signed links (/n/…) and a
published report card (/r/…)."""

from django.urls import path

from .views import delivery, report_card

urlpatterns = [
    path("n/u/<str:token>/", delivery.unsubscribe, name="newsletter_unsubscribe"),
    path("n/p/<str:token>/", delivery.preferences, name="newsletter_preferences"),
    path("n/c/<str:token>/", delivery.click, name="newsletter_click"),
    path("r/<str:token>/", report_card.report_card_public, name="report_card_public"),
    path("r/<str:token>/pdf/", report_card.report_card_public_pdf, name="report_card_public_pdf"),
]
