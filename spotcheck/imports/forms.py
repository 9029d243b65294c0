from pathlib import Path

from django import forms
from django.utils.translation import gettext_lazy as _

from spotcheck.accounts.scoping import department_choices_for

from .jobs import ALLOWED_SUFFIXES
from .models import ImportKind

MAX_UPLOAD_BYTES = 200 * 1024 * 1024


class ImportForm(forms.Form):
    kind = forms.ChoiceField(label=_("导入类型"), choices=ImportKind.choices)
    department = forms.ModelChoiceField(label=_("部门"), queryset=None, required=False)
    file = forms.FileField(label=_("文件（CSV、XLS、XLSX）"))

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["department"].queryset = department_choices_for(user)
        if not user.is_office:
            self.fields["department"].initial = user.department
            self.fields["department"].disabled = True

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if Path(upload.name).suffix.lower() not in ALLOWED_SUFFIXES:
            raise forms.ValidationError(_("只能导入 CSV、XLS 或 XLSX 文件"), code="file_type")
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(_("文件超过 200 MB"), code="file_size")
        return upload

    def clean(self):
        data = super().clean()
        department = data.get("department") if self.user.is_office else self.user.department
        kind = data.get("kind")
        if kind == ImportKind.JOINT_ITEMS:
            # one list for the whole district, departments named per row
            if not self.user.is_office:
                raise forms.ValidationError(
                    _("联合抽查事项清单由联席会议办公室导入"), code="office_only"
                )
            department = None
        # an office's item list may cover many departments, each row naming its own
        elif kind == ImportKind.INSPECTORS and department is None:
            raise forms.ValidationError(
                _("导入人员或事项时必须选择部门"), code="department_missing"
            )
        data["department"] = department
        return data
