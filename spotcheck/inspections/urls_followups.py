from django.urls import path

from .views import followups

urlpatterns = [
    path("follow-ups/", followups.follow_up_list, name="follow_up_list"),
    path("follow-ups/<int:follow_up_pk>/", followups.follow_up_detail, name="follow_up_detail"),
    path(
        "follow-ups/<int:follow_up_pk>/kind/",
        followups.follow_up_set_kind_view,
        name="follow_up_set_kind",
    ),
    path(
        "follow-ups/<int:follow_up_pk>/documents/",
        followups.follow_up_document_add_view,
        name="follow_up_document_add",
    ),
    path(
        "follow-ups/<int:follow_up_pk>/documents/<int:document_pk>/",
        followups.follow_up_document_download,
        name="follow_up_document",
    ),
    path(
        "follow-ups/<int:follow_up_pk>/close/",
        followups.follow_up_close_view,
        name="follow_up_close",
    ),
    path("abnormal/", followups.abnormal_proposal_list, name="abnormal_proposal_list"),
    path(
        "abnormal/<int:proposal_pk>/decide/",
        followups.abnormal_proposal_decide_view,
        name="abnormal_proposal_decide",
    ),
    path(
        "abnormal/<int:proposal_pk>/remove/",
        followups.abnormal_listing_remove_view,
        name="abnormal_listing_remove",
    ),
    path("leads/", followups.lead_list, name="lead_list"),
    path("leads/new/", followups.lead_create, name="lead_create"),
    path("leads/group/", followups.lead_group, name="lead_group"),
    path("leads/<int:lead_pk>/", followups.lead_detail, name="lead_detail"),
    path("leads/<int:lead_pk>/act/", followups.lead_act, name="lead_act"),
    path("entities/<str:key>/file/", followups.entity_file, name="entity_file"),
    path("overdue/", followups.overdue_list, name="overdue_list"),
]
