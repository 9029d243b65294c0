from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "spotcheck.accounts"
    label = "accounts"

    def ready(self) -> None:
        from django.db.models import fields

        from . import sessions  # noqa: F401  (connects the login receiver)

        # Django 6.1's blank choice "- Select an option -" has no zh-hans translation; select
        # boxes on Chinese pages say 请选择 (English pages: "Please choose").
        fields.BLANK_CHOICE_LABEL = _("请选择")
