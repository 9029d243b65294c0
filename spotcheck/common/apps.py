from django.apps import AppConfig


class CommonConfig(AppConfig):
    name = "spotcheck.common"
    label = "common"
