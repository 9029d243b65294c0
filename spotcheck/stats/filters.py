"""The dashboard's filters, read from the query string. A department user's department is
forced to their own whatever the query string says."""

from dataclasses import dataclass

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from spotcheck.accounts.models import Department

from .rules import sees_every_department


class DashboardFilterForm(forms.Form):
    year = forms.IntegerField(label=_("年度"), min_value=2000, max_value=2100, required=False)
    department = forms.ModelChoiceField(
        label=_("部门"),
        queryset=Department.objects.filter(is_active=True),
        required=False,
        empty_label=_("全部部门"),
    )
    # GB/T 4754 codes are hierarchical: "52" is retail, "5212" a class within it.
    industry = forms.RegexField(
        label=_("行业代码（GB/T 4754，前缀）"),
        regex=r"^[A-T]?[0-9]{0,4}$",
        max_length=5,
        required=False,
        error_messages={"invalid": _("行业代码只能是门类字母和最多4位数字，例如 52 或 5212")},
    )
    region = forms.RegexField(
        label=_("行政区划代码（前缀）"),
        regex=r"^[0-9]{0,12}$",
        max_length=12,
        required=False,
        error_messages={"invalid": _("行政区划代码只能是数字，例如 110101")},
    )


@dataclass(frozen=True)
class DashboardFilters:
    year: int
    department_id: int | None = None
    industry: str = ""
    region: str = ""

    def as_query(self) -> dict[str, str]:
        """The filters as query-string values, for links to the records behind a figure."""
        values = {
            "year": self.year,
            "department": self.department_id,
            "industry": self.industry,
            "region": self.region,
        }
        return {key: str(value) for key, value in values.items() if value not in (None, "")}


def filters_from_request(request) -> tuple[DashboardFilterForm, DashboardFilters]:
    user = request.user
    form = DashboardFilterForm(request.GET or None)
    data = form.cleaned_data if form.is_bound and form.is_valid() else {}
    department = data.get("department")
    department_id = department.pk if department else None
    if not sees_every_department(user):
        department_id = user.department_id
    filters = DashboardFilters(
        year=data.get("year") or timezone.localdate().year,
        department_id=department_id,
        industry=data.get("industry") or "",
        region=data.get("region") or "",
    )
    return form, filters
