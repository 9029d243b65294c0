from django.apps import AppConfig


class ItemsConfig(AppConfig):
    name = "spotcheck.items"
    label = "items"

    def ready(self) -> None:
        from . import exports  # noqa: F401  (registers the list exports the export job runs)
