from django.urls import include, path

app_name = "inspections"
urlpatterns = [
    path("", include("spotcheck.inspections.urls_field")),
    path("", include("spotcheck.inspections.urls_followups")),
    path("", include("spotcheck.inspections.urls_merging")),
]
