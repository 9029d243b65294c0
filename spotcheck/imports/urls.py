from django.urls import path

from . import views

app_name = "imports"
urlpatterns = [
    path("", views.job_list, name="job_list"),
    path("<int:job_id>/", views.job_detail, name="job_detail"),
    path("<int:job_id>/progress/", views.job_progress_json, name="job_progress"),
    path("<int:job_id>/confirm/", views.job_confirm, name="job_confirm"),
    path("<int:job_id>/report.xlsx", views.job_report, name="job_report"),
]
