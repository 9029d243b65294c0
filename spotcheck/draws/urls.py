from django.urls import path

from . import views

app_name = "draws"
urlpatterns = [
    path("", views.batch_list, name="batch_list"),
    path("<int:batch_id>/", views.batch_detail, name="batch_detail"),
    path("<int:batch_id>/status/", views.batch_status, name="batch_status"),
    path("<int:batch_id>/commit/", views.batch_commit, name="batch_commit"),
    path("<int:batch_id>/draw/", views.batch_draw, name="batch_draw"),
    path("<int:batch_id>/resume/", views.batch_resume_draw, name="batch_resume_draw"),
    path("<int:batch_id>/redraw/", views.batch_redraw, name="batch_redraw"),
    path("visits/<int:visit_pk>/", views.visit_detail, name="visit_detail"),
    path("visits/<int:visit_pk>/recuse/<int:member_pk>/", views.recuse, name="recuse"),
    path("visits/<int:visit_pk>/notice.<str:fmt>", views.visit_notice, name="visit_notice"),
    path(
        "visits/<int:visit_pk>/first-notice.<str:fmt>",
        views.visit_notice_first_print,
        name="visit_notice_first_print",
    ),
    path("<int:batch_id>/full-kit.zip", views.batch_full_kit, name="batch_full_kit"),
    path("<int:batch_id>/notices/<str:fmt>/", views.batch_notices, name="batch_notices"),
    path("notices/<int:archive_id>/", views.notice_archive, name="notice_archive"),
    path(
        "notices/<int:archive_id>/download/",
        views.notice_archive_download,
        name="notice_archive_download",
    ),
]
