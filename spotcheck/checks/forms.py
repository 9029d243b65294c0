from django import forms
from django.utils.translation import gettext_lazy as _

from spotcheck.common.widgets import date_input
from spotcheck.inspections.models import FollowUp, Lead
from spotcheck.plans.models import AnnualPlan

from .models import CheckGround, CheckKind


class CheckRequestForm(forms.Form):
    kind = forms.ChoiceField(label=_("检查类别"), choices=CheckKind.choices)
    ground = forms.ChoiceField(
        label=_("检查事由（个案检查）"),
        choices=[c for c in CheckGround.choices if c[0] != CheckGround.SPECIAL_PLAN],
        required=False,
    )
    entity_key = forms.CharField(label=_("统一社会信用代码"), max_length=18)
    planned_date = forms.DateField(label=_("检查日期"), widget=date_input())
    description = forms.CharField(
        label=_("检查依据和内容"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )
    plan = forms.ModelChoiceField(label=_("专项检查计划"), queryset=None, required=False)
    lead = forms.ModelChoiceField(label=_("线索（线索核查时选择）"), queryset=None, required=False)
    follow_up = forms.ModelChoiceField(
        label=_("后续处置（整改复查时选择）"), queryset=None, required=False
    )

    def __init__(self, *args, department, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["plan"].queryset = AnnualPlan.objects.filter(department=department)
        self.fields["lead"].queryset = Lead.objects.filter(department=department)
        self.fields["follow_up"].queryset = FollowUp.objects.filter(department=department)


class DecisionForm(forms.Form):
    approve = forms.TypedChoiceField(
        label=_("决定"),
        choices=[("1", _("批准")), ("0", _("不予批准"))],
        coerce=lambda v: v == "1",
    )
    note = forms.CharField(label=_("审批意见"), max_length=1000, required=False)
