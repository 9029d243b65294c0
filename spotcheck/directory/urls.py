from django.urls import path

from . import views

app_name = "directory"
urlpatterns = [
    path("entities/", views.entity_list, name="entity_list"),
    path("entities/new/", views.entity_edit, name="entity_create"),
    path("entities/<str:key>/", views.entity_detail, name="entity_detail"),
    path("entities/<str:key>/edit/", views.entity_edit, name="entity_edit"),
    path(
        "entities/<str:key>/department-record/",
        views.entity_record_edit,
        name="entity_record_edit",
    ),
    path("inspectors/", views.inspector_list, name="inspector_list"),
    path("inspectors/new/", views.inspector_edit, name="inspector_create"),
    path("inspectors/<int:inspector_id>/", views.inspector_detail, name="inspector_detail"),
    path("inspectors/<int:inspector_id>/edit/", views.inspector_edit, name="inspector_edit"),
]
