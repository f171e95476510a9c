"""Every link reached without an account: a newsletter's signed links (/n/…), a
published report card (/r/…), a published scorecard, its charts and public calendar
(/s/…), a member's private calendar feed (/calendar/…) and the backbone review
questionnaire (/review/…)."""

from django.urls import path

from .views import calendar, delivery, report_card, review, scorecard

urlpatterns = [
    path("n/u/<str:token>/", delivery.unsubscribe, name="newsletter_unsubscribe"),
    path("n/p/<str:token>/", delivery.preferences, name="newsletter_preferences"),
    path("n/c/<str:token>/", delivery.click, name="newsletter_click"),
    path("r/<str:token>/", report_card.report_card_public, name="report_card_public"),
    path("review/<str:token>/", review.review_answer, name="review_answer"),
    path("r/<str:token>/pdf/", report_card.report_card_public_pdf, name="report_card_public_pdf"),
    path("s/<slug:slug>/", scorecard.scorecard_public, name="scorecard_public"),
    path(
        "s/<slug:slug>/charts/<int:indicator_id>/",
        scorecard.scorecard_chart,
        name="scorecard_chart",
    ),
    path(
        "s/<slug:slug>/charts/<int:indicator_id>/chart.svg",
        scorecard.scorecard_chart_svg,
        name="scorecard_chart_svg",
    ),
    path("s/<slug:slug>/events.ics", calendar.scorecard_events, name="scorecard_events"),
    path("calendar/<str:token>.ics", calendar.calendar_feed, name="calendar_feed"),
]
