from django.apps import AppConfig


class FirmsConfig(AppConfig):
    """The firm's side of a visit: the inspection code (亮码检查), ratings, recusal requests."""

    name = "spotcheck.firms"
    label = "firms"
