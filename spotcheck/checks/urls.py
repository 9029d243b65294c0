from django.urls import path

from . import views

app_name = "checks"
urlpatterns = [
    path("", views.check_request_list, name="request_list"),
    path("new/", views.check_request_create, name="request_create"),
    path("warnings/", views.warning_list, name="warning_list"),
    path("tolerance/results/<int:result_pk>/", views.tolerance_cite_view, name="tolerance_cite"),
    path("<int:pk>/decide/", views.check_request_decide, name="request_decide"),
]
