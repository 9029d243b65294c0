from django.apps import AppConfig


class InspectionsConfig(AppConfig):
    name = "spotcheck.inspections"
    label = "inspections"
