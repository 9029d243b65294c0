from django import forms
from django.utils.translation import gettext_lazy as _


class YearForm(forms.Form):
    year = forms.IntegerField(label=_("年度"), min_value=2000, max_value=2100, required=False)


class ScoreForm(forms.Form):
    score = forms.DecimalField(label=_("得分"), min_value=0, max_digits=5, decimal_places=1)
    note = forms.CharField(label=_("评分依据"), max_length=2000, widget=forms.Textarea)


class EvidenceForm(forms.Form):
    file = forms.FileField(label=_("佐证材料（PDF或图片）"))
