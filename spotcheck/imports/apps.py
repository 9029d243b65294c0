from django.apps import AppConfig


class ImportsConfig(AppConfig):
    name = "spotcheck.imports"
    label = "imports"
