from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Department


class DepartmentAliasForm(forms.Form):
    department = forms.ModelChoiceField(label=_("部门"), queryset=Department.objects.all())
    alias = forms.CharField(label=_("别名（清单中的写法，如 省卫健委）"), max_length=100)


class DepartmentCapForm(forms.Form):
    department = forms.ModelChoiceField(label=_("部门"), queryset=Department.objects.all())
    cap = forms.DecimalField(
        label=_("一般检查事项默认抽查比例上限（%，留空则用本地默认）"),
        min_value=Decimal("0.01"),
        max_value=Decimal("100"),
        decimal_places=2,
        required=False,
    )

    def clean_cap(self):
        cap = self.cleaned_data.get("cap")
        return None if cap is None else (cap / 100).quantize(Decimal("0.0001"))
