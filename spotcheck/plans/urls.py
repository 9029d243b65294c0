from django.urls import path

from . import views

app_name = "plans"
urlpatterns = [
    path("", views.plan_list, name="plan_list"),
    path("<int:plan_id>/", views.plan_detail, name="plan_detail"),
    path("<int:plan_id>/revise/", views.plan_revise, name="plan_revise"),
    path("<int:plan_id>/<str:action>/", views.plan_transition, name="plan_transition"),
    path("tasks/", views.task_list, name="task_list"),
    path("tasks/new/", views.task_edit, name="task_create"),
    path("tasks/<int:task_id>/", views.task_detail, name="task_detail"),
    path("tasks/<int:task_id>/edit/", views.task_edit, name="task_edit"),
    path("tasks/preview/", views.task_preview_view, name="task_preview"),
    path("tasks/<int:task_id>/preview/", views.task_preview_view, name="task_preview_for"),
    path("joint/", views.joint_check_list, name="joint_check_list"),
    path("joint/<int:joint_id>/", views.joint_check_detail, name="joint_check_detail"),
    path("joint/<int:joint_id>/<str:action>/", views.joint_check_action, name="joint_check_action"),
]
