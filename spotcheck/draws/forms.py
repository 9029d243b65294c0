from django import forms
from django.utils.translation import gettext_lazy as _

from spotcheck.common.widgets import datetime_input
from spotcheck.plans.models import JointCheck, JointCheckStatus, SpotCheckTask, TaskStatus


class BatchForm(forms.Form):
    name = forms.CharField(label=_("批次名称"), max_length=200)
    joint_check = forms.ModelChoiceField(
        label=_("联合抽查（已批准）"), queryset=None, required=False
    )
    tasks = forms.ModelMultipleChoiceField(
        label=_("或选择同期抽查任务"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    randomness_source = forms.CharField(
        label=_("公开随机数来源（事先公布）"),
        max_length=300,
        help_text=_("例如：公开抽取现场由两名见证人掷骰子 8 次，记录点数"),
    )
    randomness_due = forms.DateTimeField(label=_("随机数产生时间"), widget=datetime_input())

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        joint = JointCheck.objects.filter(status=JointCheckStatus.APPROVED)
        tasks = SpotCheckTask.objects.filter(status=TaskStatus.READY, joint_check__isnull=True)
        if not user.is_office:
            joint = joint.filter(lead_department=user.department_id)
            tasks = tasks.filter(department=user.department_id)
        self.fields["joint_check"].queryset = joint
        self.fields["tasks"].queryset = tasks.select_related("department")

    def clean(self):
        data = super().clean()
        if not data.get("joint_check") and not data.get("tasks"):
            raise forms.ValidationError(_("请选择一个联合抽查或至少一个抽查任务"), code="no_tasks")
        return data


class RandomnessForm(forms.Form):
    randomness = forms.CharField(label=_("公开随机数（按现场记录原样录入）"), max_length=200)
    witnesses = forms.CharField(
        label=_("见证人"), max_length=300, help_text=_("在场见证人的姓名，多人用顿号分隔")
    )


class RedrawForm(forms.Form):
    reason = forms.CharField(label=_("重新承诺原因"), widget=forms.Textarea)
    randomness_source = forms.CharField(label=_("新的公开随机数来源"), max_length=300)
    randomness_due = forms.DateTimeField(label=_("随机数产生时间"), widget=datetime_input())


class RecusalForm(forms.Form):
    reason = forms.CharField(label=_("回避原因"), max_length=300)
