from django.urls import path

from . import views

app_name = "publication"
urlpatterns = [
    path("deadlines/", views.deadlines, name="deadlines"),
    path("tasks/<int:task_id>/", views.task_detail, name="task_detail"),
    path("tasks/<int:task_id>/publish/", views.task_publish_view, name="task_publish"),
    path(
        "tasks/<int:task_id>/announce/",
        views.announcement_publish_view,
        name="announcement_publish",
    ),
    path("tasks/<int:task_id>/withhold/", views.exemption_request_view, name="exemption_request"),
    path("exemptions/", views.exemptions, name="exemptions"),
    path(
        "exemptions/<int:exemption_id>/decide/",
        views.exemption_decide_view,
        name="exemption_decide",
    ),
    path("calendar/", views.calendar, name="calendar"),
    path("exports/", views.national_exports, name="national_exports"),
]
