from django import forms
from django.utils.translation import gettext_lazy as _

STAR_CHOICES = [(n, str(n)) for n in range(5, 0, -1)]


class PinField(forms.CharField):
    def __init__(self, **kwargs):
        super().__init__(
            label=_("通知书上的PIN码（6位数字）"),
            max_length=12,
            widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
            error_messages={"required": _("请填写通知书上的PIN码。")},
            **kwargs,
        )


class RatingForm(forms.Form):
    pin = PinField()
    stars = forms.TypedChoiceField(
        label=_("评分（1至5分，5分最满意）"),
        choices=STAR_CHOICES,
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={"required": _("请选择评分。"), "invalid_choice": _("评分须为1至5分。")},
    )
    text = forms.CharField(
        label=_("评价意见（选填）"), required=False, max_length=1000, widget=forms.Textarea
    )
    objects_to_result = forms.BooleanField(label=_("我对检查结果有异议"), required=False)


class RecusalRequestForm(forms.Form):
    pin = PinField()
    member = forms.ChoiceField(
        label=_("申请回避的执法人员"),
        error_messages={"required": _("请选择本次检查组中的一名执法人员。")},
    )
    reason = forms.CharField(
        label=_("申请理由（如亲属关系、利害关系）"),
        max_length=1000,
        widget=forms.Textarea,
        error_messages={"required": _("申请回避须说明理由。")},
    )

    def __init__(self, *args, team: list[dict], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["member"].choices = [
            (str(m["pk"]), f"{m['name']}（{m['certificate_number']}）") for m in team
        ]
        self.fields["member"].error_messages["invalid_choice"] = _(
            "请选择本次检查组中的一名执法人员。"
        )


class AccountRatingForm(forms.Form):
    """Rating from the signed-in account: no PIN, the account is bound to the firm."""

    stars = RatingForm.base_fields["stars"]
    text = RatingForm.base_fields["text"]
    objects_to_result = RatingForm.base_fields["objects_to_result"]


class AccountRecusalRequestForm(RecusalRequestForm):
    """Recusal request from the signed-in account: no PIN."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        del self.fields["pin"]


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("决定"), choices=[("grant", _("同意")), ("refuse", _("不同意"))]
    )
    reason = forms.CharField(
        label=_("理由"), max_length=1000, error_messages={"required": _("决定须说明理由。")}
    )


class CreditRepairForm(forms.Form):
    pin = PinField()
    record = forms.IntegerField(widget=forms.HiddenInput)
    correction = forms.CharField(
        label=_("整改情况"),
        max_length=2000,
        widget=forms.Textarea,
        error_messages={"required": _("请说明整改情况。")},
    )


class AccountCreditRepairForm(forms.Form):
    """Credit repair from the signed-in account: no PIN, the account is bound to the firm."""

    record = forms.IntegerField(widget=forms.HiddenInput)
    correction = CreditRepairForm.base_fields["correction"]


class FirmRegisterForm(forms.Form):
    code = forms.CharField(
        label=_("通知书上的检查码"),
        max_length=40,
        error_messages={"required": _("请填写通知书上的检查码。")},
    )
    pin = PinField()
    username = forms.CharField(
        label=_("用户名"), max_length=150, error_messages={"required": _("请填写用户名。")}
    )
    password = forms.CharField(
        label=_("密码"),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        error_messages={"required": _("请设置密码。")},
    )
    password_again = forms.CharField(
        label=_("再次输入密码"),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        error_messages={"required": _("请再次输入密码。")},
    )

    def clean(self):
        data = super().clean()
        if data.get("password") and data.get("password") != data.get("password_again"):
            self.add_error("password_again", _("两次输入的密码不一致。"))
        return data
