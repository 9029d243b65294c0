from django.urls import path

from .views import field

urlpatterns = [
    path("mine/", field.my_work, name="my_work"),
    path("visits/<int:visit_pk>/", field.visit_field, name="visit"),
    path("visits/<int:visit_pk>/arrive/", field.visit_arrive, name="visit_arrive"),
    path("visits/<int:visit_pk>/complete/", field.visit_complete, name="visit_complete"),
    path(
        "visits/<int:visit_pk>/not-possible/", field.visit_not_possible, name="visit_not_possible"
    ),
    path("visits/<int:visit_pk>/close/", field.visit_close, name="visit_close"),
    path("results/<int:result_pk>/", field.result_detail, name="result"),
    path("results/<int:result_pk>/evidence/", field.evidence_upload, name="evidence_add"),
    path("results/<int:result_pk>/review/", field.result_review, name="result_review"),
    path("results/<int:result_pk>/amendments/", field.amendment_propose, name="amendment_propose"),
    path("amendments/<int:amendment_pk>/review/", field.amendment_review, name="amendment_review"),
    path("evidence/<int:evidence_pk>/", field.evidence_download, name="evidence_download"),
    path("review/", field.review_queue, name="review_queue"),
]
