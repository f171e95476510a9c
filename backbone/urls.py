"""The root URL configuration: the one place (with settings) that knows every app."""

from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.routers import SimpleRouter

from initiatives.api import InitiativeViewSet
from measures.api import DataRequestViewSet, DataValueViewSet, IndicatorViewSet, PeriodViewSet
from plans.views.home import home as organization_home
from stakeholders.api import ContactViewSet

from . import personal, transition_views, views
from .api import profile as api_profile

# The API, version 1: each app's resources (its `api.py`), on the shared machinery of
# `backbone/api/`. The organization is the token's, so it is not in the URL.
api = SimpleRouter(trailing_slash=True)
api.register("initiatives", InitiativeViewSet, basename="initiative")
api.register("indicators", IndicatorViewSet, basename="indicator")
api.register("periods", PeriodViewSet, basename="period")
api.register("data-requests", DataRequestViewSet, basename="data-request")
api.register("values", DataValueViewSet, basename="value")
api.register("contacts", ContactViewSet, basename="contact")

api_patterns = [
    path("v1/", include((api.urls, "v1"))),
    path("schema/", SpectacularAPIView.as_view(api_version="1.0.0"), name="schema"),
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="api:schema"), name="docs"),
]

organization_patterns = [
    # The organization's home is each person's own work, composed by the top app (plans),
    # which reads every app's selectors; backbone itself knows no domain app.
    path("", organization_home, name="organization_home"),
    path("settings/", views.organization_settings, name="organization_settings"),
    path("settings/archive/", transition_views.archives, name="archives"),
    path(
        "settings/archive/<int:archive_id>/download/",
        transition_views.archive_download,
        name="archive_download",
    ),
    path("settings/admin-transfer/", transition_views.admin_transfers, name="admin_transfers"),
    path(
        "admin-transfer/<int:transfer_id>/",
        transition_views.admin_transfer,
        name="admin_transfer",
    ),
    path(
        "admin-transfer/<int:transfer_id>/answer/",
        transition_views.admin_transfer_answer,
        name="admin_transfer_answer",
    ),
    path("members/", views.members, name="members"),
    path("members/invite/", views.member_invite, name="member_invite"),
    path("members/<int:membership_id>/role/", views.member_role, name="member_role"),
    path("members/<int:membership_id>/remove/", views.member_remove, name="member_remove"),
    path(
        "invitations/<int:invitation_id>/revoke/",
        views.invitation_revoke,
        name="invitation_revoke",
    ),
    path("jobs/", views.jobs, name="jobs"),
    path("notifications/", personal.notifications, name="notifications"),
    path("notifications/read/", personal.notifications_read_all, name="notifications_read_all"),
    path(
        "notifications/<int:notification_id>/open/",
        personal.notification_open,
        name="notification_open",
    ),
    path("jobs/<int:job_id>/rerun/", views.job_rerun, name="job_rerun"),
    path("stakeholders/", include("stakeholders.urls")),
    path("initiatives/", include("initiatives.urls")),
    path("measures/", include("measures.urls")),
    path("", include("plans.urls")),
]

urlpatterns = [
    path("", views.home, name="home"),
    path("organizations/new/", views.organization_create, name="organization_create"),
    path("invite/<str:token>/", views.invitation_accept, name="invitation_accept"),
    path("accounts/profile/", personal.profile, name="profile"),
    path(
        "accounts/profile/calendar/<int:membership_id>/",
        personal.calendar_feed,
        name="calendar_feed_renew",
    ),
    path("accounts/profile/tokens/", api_profile.api_token_new, name="api_token_new"),
    path(
        "accounts/profile/tokens/<int:token_id>/revoke/",
        api_profile.api_token_revoke_view,
        name="api_token_revoke",
    ),
    path("api/", include((api_patterns, "api"))),
    path("accounts/", include("allauth.urls")),
    path("admin/", admin.site.urls),
    path("o/<slug:org_slug>/", include(organization_patterns)),
    path("survey/", include("initiatives.public_urls")),
    path("", include("plans.public_urls")),
]
