from django.urls import path

from . import views

app_name = "measures"

urlpatterns = [
    path("", views.index, name="index"),
    path("approvals/", views.approvals, name="approvals"),
    path("initiatives/<int:initiative_id>/", views.initiative_dashboard, name="dashboard"),
    path(
        "initiatives/<int:initiative_id>/indicators/new/",
        views.indicator_create,
        name="indicator_create",
    ),
    path("initiatives/<int:initiative_id>/enter/", views.entry, name="entry"),
    path("initiatives/<int:initiative_id>/glossary/", views.glossary_term_add, name="glossary_add"),
    path("initiatives/<int:initiative_id>/enter/check/", views.entry_check, name="entry_check"),
    path("initiatives/<int:initiative_id>/import/", views.import_values, name="import"),
    path("initiatives/<int:initiative_id>/export.csv", views.export_csv, name="export"),
    path("indicators/<int:indicator_id>/", views.indicator_detail, name="indicator_detail"),
    path("indicators/<int:indicator_id>/edit/", views.indicator_edit, name="indicator_edit"),
    path("indicators/<int:indicator_id>/chart.svg", views.indicator_chart, name="indicator_chart"),
    path(
        "indicators/<int:indicator_id>/requests/",
        views.indicator_requests,
        name="indicator_requests",
    ),
    path("indicators/<int:indicator_id>/copy/", views.indicator_copy, name="indicator_copy"),
    path("indicators/<int:indicator_id>/story/", views.indicator_story, name="indicator_story"),
    path(
        "indicators/<int:indicator_id>/resolve/", views.indicator_resolve, name="indicator_resolve"
    ),
    path("data/<int:data_point_id>/", views.data_point_detail, name="data_point"),
]
