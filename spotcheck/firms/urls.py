from django.urls import path

from . import views

app_name = "firms"
urlpatterns = [
    path("", views.code_entry, name="code_entry"),
    path("account/", views.account, name="account"),
    path("account/register/", views.account_register, name="account_register"),
    path("account/credit-repair/", views.account_credit_repair, name="account_credit_repair"),
    path("account/visits/<int:visit_pk>/rate/", views.account_rate, name="account_rate"),
    path("account/visits/<int:visit_pk>/recusal/", views.account_recusal, name="account_recusal"),
    path("pin-reissue/<int:visit_pk>/", views.pin_reissue, name="pin_reissue"),
    path("ratings/", views.ratings, name="ratings"),
    path("recusal-requests/", views.recusal_requests, name="recusal_requests"),
    path(
        "recusal-requests/<int:request_pk>/decide/",
        views.recusal_request_decide,
        name="recusal_request_decide",
    ),
    path("unscanned/", views.unscanned, name="unscanned"),
    path("credit-repairs/", views.credit_repairs, name="credit_repairs"),
    path(
        "credit-repairs/<int:repair_pk>/decide/",
        views.credit_repair_decide,
        name="credit_repair_decide",
    ),
    path("<str:code>/", views.visit_page, name="visit"),
    path("<str:code>/rate/", views.visit_rate, name="rate"),
    path("<str:code>/recusal/", views.recusal_request, name="recusal_request"),
    path("<str:code>/firm/", views.firm_page, name="firm"),
    path("<str:code>/credit-repair/", views.credit_repair_request, name="credit_repair"),
]
