from django.apps import AppConfig


class PublicationConfig(AppConfig):
    name = "spotcheck.publication"
    label = "publication"
