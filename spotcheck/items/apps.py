from django.apps import AppConfig


class ItemsConfig(AppConfig):
    name = "spotcheck.items"
    label = "items"
