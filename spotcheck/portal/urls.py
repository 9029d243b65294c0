from django.urls import path

from . import views

app_name = "public"
urlpatterns = [
    path("items/", views.item_index, name="department_index"),
    path("items/<str:department_code>/", views.item_list, name="item_list"),
    path("plans/", views.plans, name="plans"),
]
