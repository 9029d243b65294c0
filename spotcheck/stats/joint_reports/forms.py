from django import forms
from django.utils.translation import gettext_lazy as _

from .models import ReportKind
from .services import BODY_MAX


class OpenForm(forms.Form):
    kind = forms.ChoiceField(label=_("报告类型"), choices=ReportKind.choices)
    joint = forms.IntegerField(
        label=_("联合抽查"), min_value=1, max_value=2**63 - 1, required=False
    )
    year = forms.IntegerField(label=_("年度"), min_value=2000, max_value=2100, required=False)


class BodyForm(forms.Form):
    body = forms.CharField(
        label=_("报告正文"), max_length=BODY_MAX, widget=forms.Textarea(attrs={"rows": 24})
    )


class ReviseForm(forms.Form):
    reason = forms.CharField(
        label=_("修订原因"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )


class YearForm(forms.Form):
    year = forms.IntegerField(min_value=2000, max_value=2100, required=False)
