from django.urls import path

from .views import merging

urlpatterns = [
    path("merges/", merging.merge_list, name="merge_list"),
    path("merges/detect/", merging.merge_detect, name="merge_detect"),
    path("merges/<int:merge_pk>/", merging.merge_detail, name="merge_detail"),
    path("merges/<int:merge_pk>/answer/", merging.merge_answer, name="merge_answer"),
]
