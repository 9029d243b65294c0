from django import forms
from django.utils.translation import gettext_lazy as _

from spotcheck.accounts.models import Department
from spotcheck.common.widgets import date_input


class CalendarDayForm(forms.Form):
    day = forms.DateField(label=_("日期"), widget=date_input())
    is_working = forms.TypedChoiceField(
        label=_("类型"),
        choices=[("1", _("工作日（含调休上班）")), ("0", _("休息日（含法定节假日）"))],
        coerce=lambda value: value == "1",
    )
    note = forms.CharField(label=_("说明"), max_length=50, required=False)


class CalendarImportForm(forms.Form):
    year = forms.IntegerField(label=_("年份"), min_value=2000, max_value=2100)
    notice = forms.CharField(label=_("通知文号"), max_length=100, required=False)
    file = forms.FileField(
        label=_("放假安排（CSV 或 XLSX：日期、类型“放假/上班”、说明）"),
        help_text=_("只需列出放假日期和调休上班日期；其余按周一至周五工作、周末休息。"),
    )


class ExemptionForm(forms.Form):
    visit = forms.IntegerField(widget=forms.HiddenInput)
    legal_ground = forms.CharField(
        label=_("不宜公开的法律依据"), widget=forms.Textarea(attrs={"rows": 2}), max_length=2000
    )


class NationalExportForm(forms.Form):
    department = forms.ModelChoiceField(label=_("部门"), queryset=None)
    start = forms.DateField(label=_("起始日期"), widget=date_input())
    end = forms.DateField(label=_("截止日期"), widget=date_input())
    fmt = forms.ChoiceField(label=_("格式"), choices=[("xlsx", "XLSX"), ("json", "JSON")])

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        departments = Department.objects.filter(is_active=True)
        if not user.is_office:
            departments = departments.filter(pk=user.department_id)
        self.fields["department"].queryset = departments
