"""The root URL configuration: the one place (with settings) that knows every app."""

from django.contrib import admin
from django.urls import include, path

from plans.views.home import home as organization_home

from . import personal, transition_views, views

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
    path("accounts/", include("allauth.urls")),
    path("admin/", admin.site.urls),
    path("o/<slug:org_slug>/", include(organization_patterns)),
    path("survey/", include("initiatives.public_urls")),
    path("", include("plans.public_urls")),
]
