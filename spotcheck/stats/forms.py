from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from spotcheck.accounts.models import Department


class YearForm(forms.Form):
    year = forms.IntegerField(label=_("年度"), min_value=2000, max_value=2100, required=False)


class ScoreForm(forms.Form):
    score = forms.DecimalField(label=_("得分"), min_value=0, max_digits=5, decimal_places=1)
    note = forms.CharField(label=_("评分依据"), max_length=2000, widget=forms.Textarea)


class EvidenceForm(forms.Form):
    file = forms.FileField(label=_("佐证材料（PDF或图片）"))


class ReportRequestForm(forms.Form):
    year = forms.IntegerField(label=_("年度"), min_value=2000, max_value=2100)
    # Empty: the district's report (the office only).
    department = forms.TypedChoiceField(
        label=_("范围"), coerce=int, required=False, empty_value=None
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].initial = timezone.localdate().year - 1
        if user.is_office:
            departments = Department.objects.filter(is_active=True)
            self.fields["department"].choices = [
                ("", _("全区")),
                *((d.pk, d.name) for d in departments),
            ]
        else:  # oversight has no department: no choice, so asking is a form error, not a 500
            own = [user.department] if user.department_id else []
            self.fields["department"].choices = [(d.pk, d.name) for d in own]
            self.fields["department"].required = True
