from decimal import Decimal, InvalidOperation

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from spotcheck.accounts.models import Department
from spotcheck.common.widgets import date_input
from spotcheck.directory.models import CreditClass, EntityType

from .models import AnnualPlan, DesignMode, PlanBatch
from .selectors import current_item_versions
from .validation import STRATA, TaskDraft

ABNORMAL_CHOICES = [("", _("不限")), ("1", _("仅经营异常名录")), ("0", _("排除经营异常名录"))]


def _split(text: str) -> list[str]:
    for separator in ("，", "、", "；", ";", " "):
        text = text.replace(separator, ",")
    return sorted({part.strip() for part in text.split(",") if part.strip()})


class PlanForm(forms.ModelForm):
    class Meta:
        model = AnnualPlan
        fields = ["year", "name"]


class PlanBatchForm(forms.ModelForm):
    class Meta:
        model = PlanBatch
        fields = ["name", "items", "scope", "ratio", "count", "start_month", "end_month"]
        widgets = {"items": forms.CheckboxSelectMultiple}

    def __init__(self, *args, department_id: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["items"].queryset = current_item_versions(department_id)


class TaskForm(forms.Form):
    """One form for the whole task: items, who may be drawn, and how many."""

    name = forms.CharField(label=_("任务名称"), max_length=200)
    plan = forms.ModelChoiceField(label=_("所属年度计划"), queryset=None, required=False)
    directed = forms.BooleanField(label=_("定向抽查（针对特定对象）"), required=False)
    items = forms.ModelMultipleChoiceField(
        label=_("抽查事项"), queryset=None, widget=forms.CheckboxSelectMultiple
    )
    entity_types = forms.MultipleChoiceField(
        label=_("主体类型"),
        choices=EntityType.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    industry_prefixes = forms.CharField(label=_("行业代码（前缀，逗号分隔）"), required=False)
    region_codes = forms.CharField(label=_("行政区划代码（逗号分隔）"), required=False)
    tags = forms.CharField(label=_("标签（任一）"), required=False)
    credit_classes = forms.MultipleChoiceField(
        label=_("信用风险分类"),
        choices=CreditClass.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    abnormal = forms.ChoiceField(label=_("经营异常名录"), choices=ABNORMAL_CHOICES, required=False)
    entity_keys = forms.CharField(
        label=_("定向对象（统一社会信用代码，逗号分隔）"), required=False, widget=forms.Textarea
    )
    design_mode = forms.ChoiceField(label=_("抽取方式"), choices=DesignMode.choices)
    value_all = forms.CharField(
        label=_("各类统一值"),
        required=False,
        help_text=_("对每一个信用风险分类分别适用（不是合计）；某类另填了值时以该类为准"),
    )
    value_A = forms.CharField(label=_("A类"), required=False)
    value_B = forms.CharField(label=_("B类"), required=False)
    value_C = forms.CharField(label=_("C类"), required=False)
    value_D = forms.CharField(label=_("D类"), required=False)
    design_n = forms.IntegerField(label=_("抽取数量（按概率定量时）"), required=False, min_value=1)
    planned_start = forms.DateField(label=_("计划开始日期"), widget=date_input())
    planned_end = forms.DateField(label=_("计划结束日期"), widget=date_input())

    def __init__(self, *args, department: Department, **kwargs):
        super().__init__(*args, **kwargs)
        self.department = department
        self.fields["items"].queryset = current_item_versions(department.pk)
        self.fields["plan"].queryset = AnnualPlan.objects.filter(department=department)
        if not self.is_bound and not self.initial.get("value_A"):
            for stratum, value in settings.SPOTCHECK_RULES["CREDIT_CLASS_PROBABILITIES"].items():
                self.fields[f"value_{stratum}"].initial = value
            # The pre-filled values are probabilities by class: the mode must say so.
            if not self.initial.get("design_mode"):
                self.fields["design_mode"].initial = DesignMode.POISSON

    def design_values(self, mode: str) -> dict:
        values = {}
        for stratum in ("*", *STRATA):
            text = (
                self.cleaned_data.get(f"value_{'all' if stratum == '*' else stratum}") or ""
            ).strip()
            if not text:
                continue
            if mode == DesignMode.COUNT:
                if not text.isdigit():
                    raise forms.ValidationError(_("按数量抽取时请填写整数"), code="count_integer")
                values[stratum] = int(text)
            else:
                values[stratum] = _decimal_text(text)
        return values

    def population_filter(self) -> dict:
        data = self.cleaned_data
        population = {
            "entity_types": data.get("entity_types", []),
            "industry_prefixes": _split(data.get("industry_prefixes", "")),
            "region_codes": _split(data.get("region_codes", "")),
            "tags": _split(data.get("tags", "")),
            "credit_classes": data.get("credit_classes", []),
            "entity_keys": [k.upper() for k in _split(data.get("entity_keys", ""))],
        }
        population = {k: v for k, v in population.items() if v}
        if data.get("abnormal") in ("0", "1"):
            population["abnormal"] = data["abnormal"] == "1"
        return population

    def draft(self) -> TaskDraft:
        data = self.cleaned_data
        return TaskDraft(
            department_id=self.department.pk,
            directed=data["directed"],
            items=list(data["items"]),
            population_filter=self.population_filter(),
            mode=data["design_mode"],
            values=self.design_values(data["design_mode"]),
            n=data.get("design_n"),
            planned_start=data["planned_start"],
            planned_end=data["planned_end"],
        )


def _decimal_text(text: str) -> str:
    """'5%' → '0.05'; '0.05' stays; the design keeps decimals as strings."""
    try:
        value = Decimal(text[:-1]) / 100 if text.endswith("%") else Decimal(text)
    except InvalidOperation:
        raise forms.ValidationError(
            _("“%(t)s”不是有效的比例或概率") % {"t": text}, code="decimal"
        ) from None
    return format(value.normalize(), "f")


def task_initial(task) -> dict:
    f = task.population_filter
    initial = {
        "name": task.name,
        "plan": task.plan_id,
        "directed": task.directed,
        "items": list(task.items.all()),
        "entity_types": f.get("entity_types", []),
        "industry_prefixes": ",".join(f.get("industry_prefixes", [])),
        "region_codes": ",".join(f.get("region_codes", [])),
        "tags": ",".join(f.get("tags", [])),
        "credit_classes": f.get("credit_classes", []),
        "abnormal": "" if f.get("abnormal") is None else ("1" if f["abnormal"] else "0"),
        "entity_keys": ",".join(f.get("entity_keys", [])),
        "design_mode": task.design_mode,
        "design_n": task.design_n,
        "planned_start": task.planned_start,
        "planned_end": task.planned_end,
    }
    for stratum, value in task.design_values.items():
        initial[f"value_{'all' if stratum == '*' else stratum}"] = str(value)
    return initial


class JointCheckForm(forms.Form):
    """The lead department is the user's own; the partners are the other departments."""

    name = forms.CharField(label=_("联合抽查名称"), max_length=200)
    partners = forms.ModelMultipleChoiceField(
        label=_("邀请配合部门"),
        queryset=Department.objects.filter(is_active=True),
        widget=forms.CheckboxSelectMultiple,
    )
    planned_start = forms.DateField(label=_("计划开始日期"), widget=date_input())
    planned_end = forms.DateField(label=_("计划结束日期"), widget=date_input())

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        if user is not None and user.department_id:
            self.fields["partners"].queryset = Department.objects.filter(is_active=True).exclude(
                pk=user.department_id
            )


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("原因"), widget=forms.Textarea, required=False)
