from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "spotcheck.audit"
    label = "audit"

    def ready(self) -> None:
        from . import receivers  # noqa: F401  (connects the signal receivers)
