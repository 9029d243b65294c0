from django.urls import path

from . import views

app_name = "credit"
urlpatterns = [
    path("", views.run_list, name="run_list"),
    path("recompute/", views.recompute, name="recompute"),
    path("entities/<str:key>/", views.entity_credit, name="entity_credit"),
    path("entities/<str:key>/override/", views.override_set, name="override_set"),
    path("entities/<str:key>/override/clear/", views.override_clear, name="override_clear"),
]
