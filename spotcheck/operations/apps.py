from django.apps import AppConfig


class OperationsConfig(AppConfig):
    """Running the platform: backup and restore (health probes live in spotcheck.common)."""

    name = "spotcheck.operations"
    label = "operations"
