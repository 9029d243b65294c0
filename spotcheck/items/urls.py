from django.urls import path

from . import views

app_name = "items"
urlpatterns = [
    path("", views.item_list, name="item_list"),
    path("new/", views.item_edit, name="item_create"),
    path("<int:item_id>/", views.item_detail, name="item_detail"),
    path("<int:item_id>/edit/", views.item_edit, name="item_edit"),
]
