from django import forms
from django.utils.translation import gettext_lazy as _

from .models import TokenScope
from .tokens import DEFAULT_DAYS, MAX_DAYS


class ApiTokenForm(forms.Form):
    label = forms.CharField(label=_("用途"), max_length=100)
    scope = forms.ChoiceField(label=_("权限范围"), choices=TokenScope.choices, initial="read")
    days = forms.IntegerField(
        label=_("有效天数"), min_value=1, max_value=MAX_DAYS, initial=DEFAULT_DAYS
    )


class OtpCodeForm(forms.Form):
    code = forms.RegexField(
        label=_("动态口令（6位数字）"),
        regex=r"^\d{6}$",
        error_messages={"invalid": _("请输入身份验证器应用显示的6位数字")},
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )
