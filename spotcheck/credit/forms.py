from django import forms
from django.utils.translation import gettext_lazy as _

from spotcheck.directory.models import CreditClass


class OverrideForm(forms.Form):
    credit_class = forms.ChoiceField(label=_("调整为"), choices=CreditClass.choices)
    reason = forms.CharField(
        label=_("理由"), max_length=1000, widget=forms.Textarea(attrs={"rows": 3})
    )


class ClearOverrideForm(forms.Form):
    reason = forms.CharField(
        label=_("理由"), max_length=1000, widget=forms.Textarea(attrs={"rows": 2})
    )
