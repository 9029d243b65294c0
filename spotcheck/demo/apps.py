from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "spotcheck.demo"
    label = "demo"
