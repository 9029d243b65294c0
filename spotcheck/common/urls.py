from django.urls import path

from . import views

app_name = "common"

urlpatterns = [
    path("exports/new/", views.export_job_create, name="export_job_create"),
    path("exports/<int:job_id>/", views.export_job, name="export_job"),
    path("exports/<int:job_id>/download/", views.export_job_download, name="export_job_download"),
]
