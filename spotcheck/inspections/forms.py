from django import forms
from django.utils.translation import gettext_lazy as _

from spotcheck.items.models import CheckMethod

from . import selectors


class TeamMemberChoice(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj) -> str:
        return f"{obj.inspector.name}（{obj.department.name}）"


class ResultForm(forms.Form):
    categories = forms.ModelMultipleChoiceField(
        label=_("检查结果"), queryset=None, widget=forms.CheckboxSelectMultiple
    )
    finding = forms.CharField(label=_("检查情况"), widget=forms.Textarea(attrs={"rows": 4}))
    legal_basis = forms.CharField(
        label=_("法律依据"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    measures = forms.CharField(
        label=_("处理措施"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    method = forms.ChoiceField(label=_("检查方式"), choices=CheckMethod.choices)
    confirmations = TeamMemberChoice(
        label=_("确认人员（至少两名检查人员）"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, result, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["categories"].queryset = selectors.result_categories(result.department_id)
        self.fields["confirmations"].queryset = selectors.serving_team(result.visit)

    @classmethod
    def initial_for(cls, result) -> dict:
        """What is entered so far; a fresh result starts from the item's legal basis and
        first method."""
        methods = result.item.methods or [result.method]
        return {
            "categories": list(result.categories.all()),
            "finding": result.finding,
            "legal_basis": result.legal_basis or result.item.legal_basis,
            "measures": result.measures,
            "method": result.method if result.entered_at else methods[0],
            "confirmations": list(result.confirmed_by.all()),
        }

    @classmethod
    def initial_from_post(cls, data) -> dict:
        """What was typed and ticked, unvalidated, to show again as it was."""
        initial = {name: data.get(name, "") for name in cls.base_fields}
        initial["categories"] = data.getlist("categories")
        initial["confirmations"] = data.getlist("confirmations")
        return initial


class EvidenceForm(forms.Form):
    file = forms.FileField(
        label=_("证据文件（照片或 PDF）"),
        widget=forms.ClearableFileInput(
            attrs={"accept": "image/jpeg,image/png,image/webp,application/pdf"}
        ),
    )


class NotPossibleForm(forms.Form):
    category = forms.ModelChoiceField(
        label=_("未能检查的原因"), queryset=None, empty_label=_("请选择")
    )
    note = forms.CharField(label=_("情况说明"), widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].queryset = selectors.not_possible_categories(user)


class ReviewForm(forms.Form):
    decision = forms.ChoiceField(
        choices=[("approve", _("通过")), ("return", _("退回")), ("reject", _("不予采纳"))]
    )
    note = forms.CharField(label=_("审核意见（退回或不予采纳须填写）"), required=False)
    back = forms.ChoiceField(
        choices=[("queue", "queue"), ("result", "result")],
        required=False,
        widget=forms.HiddenInput,
    )


class AmendmentForm(forms.Form):
    reason = forms.CharField(label=_("更正原因"), widget=forms.Textarea(attrs={"rows": 2}))
    categories = forms.ModelMultipleChoiceField(
        label=_("更正后的检查结果"), queryset=None, widget=forms.CheckboxSelectMultiple
    )
    finding = forms.CharField(
        label=_("检查情况"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    measures = forms.CharField(
        label=_("处理措施"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, result, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["categories"].queryset = selectors.result_categories(result.department_id)

    @staticmethod
    def initial_for(record: dict) -> dict:
        """An amendment starts from what stands now; the person changes only what was wrong."""
        return {key: record[key] for key in ("categories", "finding", "measures")}


class AmendmentDecisionForm(forms.Form):
    decision = forms.ChoiceField(choices=[("approve", _("同意更正")), ("refuse", _("不同意"))])
    back = forms.ChoiceField(
        choices=[("queue", "queue"), ("result", "result")],
        required=False,
        widget=forms.HiddenInput,
    )


class MergeAnswerForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("答复"),
        choices=[("accept", _("同意合并")), ("decline", _("不同意合并"))],
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(
        label=_("理由（不同意时必填）"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
