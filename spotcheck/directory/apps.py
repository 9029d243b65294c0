from django.apps import AppConfig


class DirectoryConfig(AppConfig):
    name = "spotcheck.directory"
    label = "directory"

    def ready(self) -> None:
        from . import exports  # noqa: F401  (registers the list exports the export job runs)
