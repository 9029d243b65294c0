from django.apps import AppConfig


class ChecksConfig(AppConfig):
    name = "spotcheck.checks"
    verbose_name = "检查审批"
