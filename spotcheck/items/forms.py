from django import forms
from django.utils.translation import gettext_lazy as _

from .models import CheckItemVersion, CheckMethod
from .services import VERSION_FIELDS


class ItemVersionForm(forms.ModelForm):
    code = forms.CharField(label=_("事项编号"), max_length=40)
    methods = forms.MultipleChoiceField(
        label=_("检查方式"), choices=CheckMethod.choices, widget=forms.CheckboxSelectMultiple
    )

    class Meta:
        model = CheckItemVersion
        fields = list(VERSION_FIELDS)

    def __init__(self, *args, editing: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if editing:
            del self.fields["code"]
        # as in provincial lists: a general item without its own cap has its department's default
        self.fields["ratio_cap"].help_text = _("一般检查事项留空则按部门默认上限执行")

    def clean(self):
        data = super().clean()
        cap = data.get("ratio_cap")
        if cap is not None and not (0 < cap <= 1):
            raise forms.ValidationError(_("抽查比例上限须在 0 到 1 之间"), code="cap_range")
        return data

    def version_values(self) -> dict:
        return {name: self.cleaned_data.get(name) for name in self.Meta.fields}
