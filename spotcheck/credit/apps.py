from django.apps import AppConfig


class CreditConfig(AppConfig):
    name = "spotcheck.credit"
    verbose_name = "信用风险分类"
