"""Pages reached from a newsletter, by people without an account (signed links)."""

from django.urls import path

from . import newsletter_views as views

urlpatterns = [
    path("u/<str:token>/", views.unsubscribe, name="newsletter_unsubscribe"),
    path("p/<str:token>/", views.preferences, name="newsletter_preferences"),
    path("c/<str:token>/", views.click, name="newsletter_click"),
]
