from django.urls import path

from . import capacity_views, picker_views, views

app_name = "stakeholders"

urlpatterns = [
    path("", views.index, name="index"),
    path("pick/contacts/", picker_views.pick_contacts, name="pick_contacts"),
    path("pick/partners/", picker_views.pick_partners, name="pick_partners"),
    path("contacts/new/", views.contact_create, name="contact_create"),
    path("contacts/<int:contact_id>/", views.contact_detail, name="contact_detail"),
    path("contacts/<int:contact_id>/edit/", views.contact_edit, name="contact_edit"),
    path("contacts/<int:contact_id>/delete/", views.contact_delete, name="contact_delete"),
    path("contacts/<int:contact_id>/note/", views.contact_note, name="contact_note"),
    path("contacts/<int:contact_id>/consent/", views.contact_consent, name="contact_consent"),
    path("contacts/<int:contact_id>/merge/", views.contact_merge, name="contact_merge"),
    path("partners/", views.partner_list, name="partner_list"),
    path("partners/new/", views.partner_create, name="partner_create"),
    path("partners/<int:partner_id>/", views.partner_detail, name="partner_detail"),
    path("partners/<int:partner_id>/edit/", views.partner_edit, name="partner_edit"),
    path("partners/<int:partner_id>/users/", views.partner_user_link, name="partner_user_link"),
    path(
        "partners/<int:partner_id>/invite/", views.partner_user_invite, name="partner_user_invite"
    ),
    path(
        "partners/<int:partner_id>/users/remove/",
        views.partner_user_unlink,
        name="partner_user_unlink",
    ),
    path(
        "partners/<int:partner_id>/capacity/",
        capacity_views.capacity_answer,
        name="capacity_answer",
    ),
    path("capacity/", capacity_views.capacity_table, name="capacity_table"),
    path("tags/", views.tag_list, name="tag_list"),
    path("tags/<int:tag_id>/rename/", views.tag_rename, name="tag_rename"),
    path("tags/<int:tag_id>/delete/", views.tag_delete, name="tag_delete"),
    path("import/", views.import_start, name="import_start"),
    path("import/<str:batch_token>/", views.import_preview, name="import_preview"),
    path("import/<str:batch_token>/confirm/", views.import_confirm, name="import_confirm"),
    path("import/<str:batch_token>/cancel/", views.import_cancel, name="import_cancel"),
    path("export/contacts.csv", views.export_contacts, name="export_contacts"),
    path("export/partners.csv", views.export_partners, name="export_partners"),
    path(
        "export/contacts.xlsx",
        views.export_contacts,
        {"file_format": "xlsx"},
        name="export_contacts_xlsx",
    ),
    path(
        "export/partners.xlsx",
        views.export_partners,
        {"file_format": "xlsx"},
        name="export_partners_xlsx",
    ),
]
