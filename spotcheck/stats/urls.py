from django.urls import path

from . import assessment_views, report_views, views
from .joint_reports.urls import urlpatterns as joint_report_urls

app_name = "stats"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("records/<slug:figure>/", views.records, name="records"),
    path("reports/", report_views.reports, name="reports"),
    path("reports/request/", report_views.report_request, name="report_request"),
    path("reports/<int:report_id>.<str:fmt>", report_views.report_download, name="report_download"),
    path("assessment/", assessment_views.assessment_index, name="assessment_index"),
    path(
        "assessment/compute/", assessment_views.assessment_compute_view, name="assessment_compute"
    ),
    path(
        "assessment/<int:assessment_id>/",
        assessment_views.assessment_detail,
        name="assessment_detail",
    ),
    path(
        "assessment/<int:assessment_id>/scores/<int:score_id>/evidence/",
        assessment_views.assessment_evidence_view,
        name="assessment_evidence",
    ),
    path(
        "assessment/<int:assessment_id>/scores/<int:score_id>/score/",
        assessment_views.assessment_score_view,
        name="assessment_score",
    ),
    path(
        "assessment/<int:assessment_id>/evidence/<int:evidence_id>/",
        assessment_views.assessment_evidence_download,
        name="assessment_evidence_download",
    ),
    *joint_report_urls,
]
