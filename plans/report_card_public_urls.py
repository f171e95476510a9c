"""Published report cards, reached without an account (see report_card_public_views)."""

from django.urls import path

from . import report_card_public_views as views

urlpatterns = [
    path("<str:token>/", views.report_card_public, name="report_card_public"),
    path("<str:token>/pdf/", views.report_card_public_pdf, name="report_card_public_pdf"),
]
