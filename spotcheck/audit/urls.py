from django.urls import path

from . import views

app_name = "audit"
urlpatterns = [
    path("heads/", views.head_list, name="head_list"),
    path("heads/publish/", views.head_publish, name="head_publish"),
]
