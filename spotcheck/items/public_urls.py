from django.urls import path

from . import views

app_name = "public"
urlpatterns = [
    path("items/", views.public_department_index, name="department_index"),
    path("items/<str:department_code>/", views.public_item_list, name="item_list"),
]
