from django import forms
from django.utils.translation import gettext_lazy as _

from spotcheck.accounts.models import Department
from spotcheck.common.widgets import date_input

from .errors import DirectoryErrorCode
from .legacy_numbers import InvalidRegistrationNumber, validate_registration_number
from .models import Inspector, InspectorConflict, MarketEntity
from .ownership import RISK_FIELDS
from .reference import is_industry_code, is_region_code
from .uscc import is_valid_uscc, normalize_uscc


def _split_list(text: str) -> list[str]:
    for separator in ("，", "、", ";", "；"):
        text = text.replace(separator, ",")
    return sorted({part.strip() for part in text.split(",") if part.strip()})


class ListField(forms.CharField):
    """A comma/顿号-separated list shown as one text box."""

    def prepare_value(self, value):
        return "，".join(value) if isinstance(value, list) else value

    def to_python(self, value):
        return _split_list(super().to_python(value) or "")


class EntityForm(forms.ModelForm):
    """The shared record, for its owners only (see `ownership`)."""

    tags = ListField(label=_("标签"), required=False)
    reason = forms.CharField(
        label=_("变更理由"),
        required=False,
        max_length=500,
        help_text=_("修改信用风险分类或经营异常标记时必填，记入审计记录"),
    )

    class Meta:
        model = MarketEntity
        fields = [
            "uscc",
            "registration_number",
            "name",
            "entity_type",
            "industry_code",
            "region_code",
            "address",
            "status",
            "credit_class",
            "abnormal_listed",
            "tags",
            "departments",
        ]
        widgets = {"departments": forms.CheckboxSelectMultiple}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["departments"].queryset = Department.objects.filter(is_active=True)
        if not user.is_office:
            # Only the office maintains who supervises whom.
            del self.fields["departments"]

    def clean_uscc(self):
        code = normalize_uscc(self.cleaned_data.get("uscc") or "")
        if code and not is_valid_uscc(code):
            raise forms.ValidationError(_("统一社会信用代码校验位不正确"), code="uscc_invalid")
        return code

    def clean_registration_number(self):
        number = (self.cleaned_data.get("registration_number") or "").strip()
        if not number:
            return number
        try:  # the legacy forms the importer accepts: 15 or 13 digits, …NA…, 企独…字第…号
            return validate_registration_number(number)
        except InvalidRegistrationNumber as error:
            raise forms.ValidationError(error.reason, code="regno_invalid") from None

    def clean_region_code(self):
        code = self.cleaned_data.get("region_code", "").strip()
        if code and not is_region_code(code):
            raise forms.ValidationError(_("行政区划代码不在 GB/T 2260 中"), code="region_unknown")
        return code

    def clean_industry_code(self):
        code = self.cleaned_data.get("industry_code", "").strip()
        if code and not is_industry_code(code):
            raise forms.ValidationError(
                _("行业代码不在 GB/T 4754-2017 中"), code="industry_unknown"
            )
        return code

    def clean(self):
        data = super().clean()
        if not data.get("uscc") and not data.get("registration_number"):
            raise forms.ValidationError(
                _("统一社会信用代码和注册号至少填写一项"), code="identifier_missing"
            )
        risk_changed = self.instance.pk and any(
            name in data and data[name] != getattr(self.instance, name) for name in RISK_FIELDS
        )
        if risk_changed and not (data.get("reason") or "").strip():
            self.add_error(
                "reason",
                forms.ValidationError(
                    _("修改信用风险分类或经营异常标记必须填写理由"),
                    code=DirectoryErrorCode.REASON_REQUIRED,
                ),
            )
        key = data.get("uscc") or data.get("registration_number")
        clash = MarketEntity.objects.filter(key=key).exclude(pk=self.instance.pk)
        if key and clash.exists():
            raise forms.ValidationError(_("该代码的检查对象已存在"), code="duplicate_key")
        return data

    def directory_values(self) -> dict:
        return {k: v for k, v in self.cleaned_data.items() if k not in ("departments", "reason")}


class DepartmentRecordForm(forms.Form):
    """A department's own tags and notes about an entity it supervises."""

    tags = ListField(label=_("本部门标签"), required=False, max_length=1000)
    notes = forms.CharField(
        label=_("本部门内部备注"), required=False, max_length=2000, widget=forms.Textarea
    )


class InspectorForm(forms.ModelForm):
    expertise = ListField(label=_("执法领域"), required=False)

    class Meta:
        model = Inspector
        fields = [
            "name",
            "certificate_number",
            "certificate_expiry",
            "expertise",
            "region_code",
            "status",
            "capacity_per_batch",
        ]
        widgets = {"certificate_expiry": date_input()}


class ConflictForm(forms.ModelForm):
    entity_key = forms.CharField(label=_("统一社会信用代码或注册号"), max_length=18)

    class Meta:
        model = InspectorConflict
        fields = ["reason"]

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_entity_key(self):
        from .selectors import entity_list

        key = self.cleaned_data["entity_key"].strip().upper()
        # Through the user's scope: one answer for "missing" and "another department's", so
        # the form is no oracle for which firms are in the directory.
        entity = entity_list(user=self.user).filter(key=key).first()
        if entity is None:
            raise forms.ValidationError(
                _("本部门监管的检查对象中没有该代码"), code="entity_missing"
            )
        self.entity = entity
        return key
