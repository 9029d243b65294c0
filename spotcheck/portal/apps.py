from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "spotcheck.portal"
    label = "portal"
