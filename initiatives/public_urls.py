"""Public pages of the initiatives app: the partner feedback survey link (no account)."""

from django.urls import path

from .views import survey_answer

app_name = "survey"

urlpatterns = [path("<str:token>/", survey_answer, name="answer")]
