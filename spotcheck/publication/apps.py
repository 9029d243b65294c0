from django.apps import AppConfig


class PublicationConfig(AppConfig):
    name = "spotcheck.publication"
    label = "publication"

    def ready(self) -> None:
        from . import signals  # noqa: F401  (connects the republication on amendments)
