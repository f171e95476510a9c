from django.urls import path

from .views import (
    agreements,
    approvals,
    dashboard,
    entry,
    entry_upload,
    imports,
    indicators,
    pickers,
    reviews,
)

app_name = "measures"

urlpatterns = [
    path("", dashboard.index, name="index"),
    path("approvals/", approvals.approvals, name="approvals"),
    path("pick/indicators/", pickers.pick_indicators, name="pick_indicators"),
    path("approvals/unflagged/", approvals.approve_unflagged, name="approve_unflagged"),
    path("initiatives/<int:initiative_id>/", dashboard.initiative_dashboard, name="dashboard"),
    path(
        "initiatives/<int:initiative_id>/indicators/new/",
        indicators.indicator_create,
        name="indicator_create",
    ),
    path("initiatives/<int:initiative_id>/enter/", entry.entry, name="entry"),
    path(
        "initiatives/<int:initiative_id>/glossary/",
        dashboard.glossary_term_add,
        name="glossary_add",
    ),
    path("initiatives/<int:initiative_id>/enter/check/", entry.entry_check, name="entry_check"),
    path(
        "initiatives/<int:initiative_id>/enter/template.csv",
        entry_upload.entry_template,
        name="entry_template",
    ),
    path(
        "initiatives/<int:initiative_id>/enter/upload/",
        entry_upload.entry_upload,
        name="entry_upload",
    ),
    path(
        "initiatives/<int:initiative_id>/enter/upload/<str:batch_token>/",
        entry_upload.entry_upload_preview,
        name="entry_upload_preview",
    ),
    path(
        "initiatives/<int:initiative_id>/enter/upload/<str:batch_token>/confirm/",
        entry_upload.entry_upload_confirm,
        name="entry_upload_confirm",
    ),
    path("initiatives/<int:initiative_id>/import/", imports.import_values, name="import"),
    path(
        "initiatives/<int:initiative_id>/import/<str:batch_token>/",
        imports.import_preview,
        name="import_preview",
    ),
    path(
        "initiatives/<int:initiative_id>/import/<str:batch_token>/confirm/",
        imports.import_confirm,
        name="import_confirm",
    ),
    path(
        "initiatives/<int:initiative_id>/import/<str:batch_token>/cancel/",
        imports.import_cancel,
        name="import_cancel",
    ),
    path("initiatives/<int:initiative_id>/export.csv", dashboard.export_csv, name="export"),
    path("indicators/<int:indicator_id>/", indicators.indicator_detail, name="indicator_detail"),
    path("indicators/<int:indicator_id>/edit/", indicators.indicator_edit, name="indicator_edit"),
    path(
        "indicators/<int:indicator_id>/chart.svg",
        indicators.indicator_chart,
        name="indicator_chart",
    ),
    path(
        "indicators/<int:indicator_id>/requests/",
        indicators.indicator_requests,
        name="indicator_requests",
    ),
    path("indicators/<int:indicator_id>/copy/", indicators.indicator_copy, name="indicator_copy"),
    path(
        "indicators/<int:indicator_id>/story/", indicators.indicator_story, name="indicator_story"
    ),
    path(
        "indicators/<int:indicator_id>/resolve/",
        indicators.indicator_resolve,
        name="indicator_resolve",
    ),
    path("data/<int:data_point_id>/", approvals.data_point_detail, name="data_point"),
    path("agreements/", agreements.agreement_list, name="agreements"),
    path("agreements/new/", agreements.agreement_create, name="agreement_create"),
    path(
        "agreements/<int:agreement_id>/",
        agreements.agreement_detail,
        name="agreement_detail",
    ),
    path("agreements/<int:agreement_id>/edit/", agreements.agreement_edit, name="agreement_edit"),
    path("agreements/<int:agreement_id>/end/", agreements.agreement_end, name="agreement_end"),
    path(
        "agreements/<int:agreement_id>/document/",
        agreements.agreement_document,
        name="agreement_document",
    ),
    path(
        "initiatives/<int:initiative_id>/reviews/",
        reviews.indicator_reviews,
        name="indicator_reviews",
    ),
    path("reviews/<int:indicator_review_id>/", reviews.indicator_review, name="indicator_review"),
]
