from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "spotcheck.accounts"
    label = "accounts"

    def ready(self) -> None:
        from . import sessions  # noqa: F401  (connects the login receiver)
