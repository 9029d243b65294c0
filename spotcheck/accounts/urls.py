from django.contrib.auth import views as auth_views
from django.urls import path

from . import department_views, views

app_name = "accounts"
urlpatterns = [
    path("login/", auth_views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path(
        "departments/",
        department_views.department_settings,
        name="department_settings",
    ),
    path("otp/", views.otp_verify, name="otp"),
    path("tokens/", views.token_list, name="token_list"),
    path("tokens/<int:token_id>/revoke/", views.token_revoke, name="token_revoke"),
]
