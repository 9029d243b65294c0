from django.urls import path

from . import announcements, results, views

app_name = "public"
urlpatterns = [
    path("items/", views.item_index, name="department_index"),
    path("joint-items/", views.joint_items, name="joint_items"),
    path("items/<str:department_code>/", views.item_list, name="item_list"),
    path("plans/", views.plans, name="plans"),
    path("draws/", views.draws, name="draws"),
    path("draws/<str:number>/", views.draw_detail, name="draw_detail"),
    path("draws/<str:number>/kit.zip", views.draw_kit, name="draw_kit"),
    path("draws/<str:number>/proof/", views.draw_proof, name="draw_proof"),
    path("audit-heads/", views.audit_heads, name="audit_heads"),
    path("results/", results.results, name="results"),
    path("results/<str:record_id>/", results.result_detail, name="result_detail"),
    path("entities/<str:code>/", results.entity, name="entity"),
    path("announcements/", announcements.announcements, name="announcements"),
    path(
        "announcements/<str:task_number>/",
        announcements.announcement_detail,
        name="announcement_detail",
    ),
]
