from django.urls import path

from . import newsletter_views as views

app_name = "newsletters"

urlpatterns = [
    path("", views.index, name="index"),
    path("new/", views.create, name="create"),
    path("<int:newsletter_id>/", views.detail, name="detail"),
    path("<int:newsletter_id>/preview/", views.preview, name="preview"),
    path("<int:newsletter_id>/test/", views.send_test, name="send_test"),
    path("<int:newsletter_id>/send/", views.send, name="send"),
    path("<int:newsletter_id>/schedule/", views.schedule, name="schedule"),
    path("<int:newsletter_id>/items/new/", views.item_add, name="item_add"),
    path("<int:newsletter_id>/items/<int:item_id>/", views.item_edit, name="item_edit"),
    path("<int:newsletter_id>/items/<int:item_id>/move/", views.item_move, name="item_move"),
]
