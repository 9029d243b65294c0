from django.urls import path

from . import views

urlpatterns = [
    path("joint-reports/", views.joint_reports, name="joint_reports"),
    path("joint-reports/open/", views.joint_report_open, name="joint_report_open"),
    path("joint-reports/<int:joint_report_id>/", views.joint_report, name="joint_report"),
    path(
        "joint-reports/<int:joint_report_id>/edit/",
        views.joint_report_edit,
        name="joint_report_edit",
    ),
    path(
        "joint-reports/<int:joint_report_id>/refresh/",
        views.joint_report_refresh,
        name="joint_report_refresh",
    ),
    path(
        "joint-reports/<int:joint_report_id>/sign/",
        views.joint_report_sign,
        name="joint_report_sign",
    ),
    path(
        "joint-reports/<int:joint_report_id>/revise/",
        views.joint_report_revise,
        name="joint_report_revise",
    ),
    path(
        "joint-reports/<int:joint_report_id>.<str:fmt>",
        views.joint_report_download,
        name="joint_report_download",
    ),
    path("timetable/", views.timetable, name="timetable"),
]
